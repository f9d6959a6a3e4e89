"""The audit rules: their names, severities and explanations, and the vocabularies
they use (shipped as editable files in ``data/``, overridable per agency).

The rules themselves are SQL in ``duck.py``; this module says what they mean. Each
rule cites where it comes from; docs/querylog-rules.md says the same for people.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

VIOLATION, WARNING, LEAD = "violation", "warning", "lead"


@dataclass(frozen=True)
class Rule:
    name: str
    severity: str
    summary: str
    explanation: str
    source: str
    needs: str = ""  # "roster" or "shifts": data the rule cannot run without


_RULES = [
    Rule(
        "PURPOSE_INVALID",
        VIOLATION,
        "Purpose code blank or not valid for a local agency",
        "Every III inquiry must carry a purpose code that fits its use; R is "
        "reserved to the FBI and is rejected for state and local users.",
        "CJISSECPOL v5.9.5 §4.2.1; NIEM RapSheetPurposeCode code list",
    ),
    Rule(
        "RTE_MISSING",
        VIOLATION,
        "Route-to (RTE) field blank",
        "The RTE must name the requester, the user if different, a specific "
        "reason and a case number. DOJ's CORI audits list 'Route to field not "
        "compliant' among the most common findings.",
        "CLETS RTE convention (DOJ training deck); CJISSECPOL AU-3(1)(e)",
    ),
    Rule(
        "RTE_NO_REQUESTER",
        VIOLATION,
        "No requester: attention blank and no title + name, badge or ID in the RTE",
        "The III audit trail must identify the requester (the person the record "
        "was run for), not only the operator.",
        "CJISSECPOL v5.9.5 AU-3(1)(e); Nlets requestor/attention fields",
    ),
    Rule(
        "RTE_NO_REASON",
        VIOLATION,
        "No specific reason in the RTE",
        "Users must give a reason for every III inquiry. Generic words such as "
        "INVESTIGATION or CHECK do not say why this record was needed.",
        "CJISSECPOL v5.9.5 §4.2.5.1; CLETS RTE convention",
    ),
    Rule(
        "CASE_MISSING",
        WARNING,
        "No case number in the case_number column or the RTE",
        "A case number ties the inquiry to the matter it served; 'Missing case "
        "number' is a common DOJ CORI audit finding.",
        "CLETS RTE convention (DOJ training deck)",
    ),
    Rule(
        "SELF_QUERY",
        LEAD,
        "The subject's name is the operator's own",
        "Users may not run their own record or have someone run it for them.",
        "Right to know and need to know (DOJ CORI audits); CJISSECPOL §4.2.1",
        needs="roster",
    ),
    Rule(
        "COWORKER_QUERY",
        LEAD,
        "The subject's name matches another person on the agency roster",
        "Queries of colleagues are a frequent pattern in CLETS misuse cases; each "
        "needs a documented need to know.",
        "CLETS misuse investigations reported to DOJ each year (EFF, 2015)",
        needs="roster",
    ),
    Rule(
        "OPERATOR_NOT_AUTHORIZED",
        LEAD,
        "Operator has no account, or ran it after the account was disabled or "
        "the person separated",
        "Access ends on separation and must be disabled for people no longer "
        "authorized; queries after that date need an explanation.",
        "CJISSECPOL v5.9.5 AC-2, PS-4 (§5.12.2)",
        needs="roster",
    ),
    Rule(
        "REPEAT_SUBJECT",
        LEAD,
        "The same subject queried by several operators within a short window",
        "Many operators looking up one person in a few days is a known sign of "
        "curiosity browsing (for example a celebrity or a colleague's relative).",
        "Common practice in log audits, not a DOJ or FBI rule",
    ),
    Rule(
        "OFF_SHIFT",
        LEAD,
        "Query outside the operator's shift",
        "Not checked yet: ACC Desk holds no shift schedules.",
        "Common practice in log audits, not a DOJ or FBI rule",
        needs="shifts",
    ),
]

RULES: dict[str, Rule] = {rule.name: rule for rule in _RULES}
ROSTER_RULES = tuple(r.name for r in _RULES if r.needs == "roster")
# Findings that make an inquiry non-compliant (leads are suspicions, not findings).
COMPLIANCE_SEVERITIES = (VIOLATION, WARNING)


def read_list(name: str) -> tuple[str, ...]:
    """One entry per line of ``data/<name>.txt``; "#" starts a comment line."""
    return parse_list((DATA_DIR / f"{name}.txt").read_text())


def parse_list(text: str) -> tuple[str, ...]:
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


@dataclass(frozen=True)
class RuleSet:
    """Everything the rules need to know; defaults come from ``data/``."""

    chri_keys: tuple[str, ...]
    purpose_codes: tuple[str, ...]
    titles: tuple[str, ...]
    requester_patterns: tuple[str, ...]
    reason_terms: tuple[str, ...]
    generic_terms: tuple[str, ...]
    case_patterns: tuple[str, ...]
    repeat_operators: int = 3
    repeat_hours: int = 168

    def with_overrides(self, **overrides: object) -> RuleSet:
        """A copy with the non-empty overrides applied (blank means "default")."""
        given = {k: v for k, v in overrides.items() if v not in (None, "", ())}
        return replace(self, **given)

    # -- the regular expressions handed to DuckDB (RE2 syntax) -----------------
    @property
    def keys_upper(self) -> list[str]:
        return sorted({k.upper() for k in self.chri_keys})

    @property
    def purposes_upper(self) -> list[str]:
        return sorted({p.upper() for p in self.purpose_codes})

    def requester_regex(self) -> str:
        titles = _alternation(self.titles)
        by_title = rf"{_WORD_START}(?:{titles})\.?\s+[A-Z]"
        return "|".join([by_title, *(f"(?:{p})" for p in self.requester_patterns)])

    def reason_regex(self) -> str:
        return _whole_words(self.reason_terms)

    def generic_regex(self) -> str:
        return _whole_words(self.generic_terms)

    def case_regex(self) -> str:
        return "|".join(f"(?:{p})" for p in self.case_patterns) or NEVER


# A "word" is a run of letters and digits of the upper-cased text, so "DV" is not in
# "ADVISED" and "ARREST" is not in "ARRESTED"; multi-word terms allow any spacing.
_WORD_START = "(?:^|[^A-Z0-9])"
_WORD_END = "(?:[^A-Z0-9]|$)"
NEVER = r"\b\B"  # matches nothing (RE2 has no (?!) lookahead)


def _escape(term: str) -> str:
    words = term.upper().split()
    return r"\s+".join(
        "".join(c if c.isalnum() else "\\" + c for c in word) for word in words
    )


def _alternation(terms: tuple[str, ...]) -> str:
    # Longest first, so a phrase wins over a word it starts with.
    unique = sorted({_escape(t) for t in terms if t.strip()}, key=lambda t: -len(t))
    return "|".join(unique) or NEVER


def _whole_words(terms: tuple[str, ...]) -> str:
    """Group 1 of the match is the term found."""
    return f"{_WORD_START}({_alternation(terms)}){_WORD_END}"


@cache
def default_rules() -> RuleSet:
    return RuleSet(
        chri_keys=read_list("chri_keys"),
        purpose_codes=read_list("purpose_codes"),
        titles=read_list("titles"),
        requester_patterns=read_list("requester_patterns"),
        reason_terms=read_list("reason_terms"),
        generic_terms=read_list("generic_terms"),
        case_patterns=read_list("case_patterns"),
    )
