"""The audit rules: their names, severities and explanations, and the vocabularies
they use (shipped as editable files in ``data/``, overridable per agency).

The rules themselves are SQL in ``duck.py``; this module says what they mean. Each
rule cites where it comes from; docs/querylog-rules.md says the same for people.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

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
    since: int = 1  # the first shipped rules level (``SHIPPED``) that has it


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
    Rule(
        "PURPOSE_REASON_MISMATCH",
        WARNING,
        "The purpose code is not allowed with the message key, or the RTE's reason "
        "does not fit the purpose",
        "CHRI may be used only for the purpose it was requested for: an employment "
        "or licensing reason under purpose C (criminal justice), or a criminal "
        "investigation under purpose J (criminal-justice employment), means one of "
        "the two is wrong.",
        "CJISSECPOL v5.9.5 §4.2.1, §5.12.1; NIEM RapSheetPurposeCode code list",
        since=2,
    ),
    Rule(
        "RELEASE_NOT_LOGGED",
        LEAD,
        "The RTE or attention names another agency's ORI, and no release to it is "
        "in the release log",
        "A release of CORI to a secondary recipient must be recorded (release "
        "date, requesting and receiving terminal, information given).",
        "11 CCR §707(c); CJISSECPOL v5.9.5 AU-3(1)(e), §5.1.3",
        since=2,
    ),
    Rule(
        "COVERAGE_GAP",
        WARNING,
        "A day or month with no log rows, or an inventory terminal with no rows in "
        "a month",
        "A month with no log looks fully compliant; a missing log is itself a gap "
        "in the audit trail the agency must keep.",
        "CJISSECPOL v5.9.5 AU-2, AU-5, AU-11; 11 CCR §707(c)",
        since=2,
    ),
]

# The rules levels shipped with ACC Desk: a new level is a rule change every
# agency's rule set takes as a new version (``ruleset.py``), adopted by the ACC.
SHIPPED = {
    1: "the first query-log rules (issue 4)",
    2: "PURPOSE_REASON_MISMATCH, RELEASE_NOT_LOGGED, COVERAGE_GAP; "
    "OPERATOR_NOT_AUTHORIZED from the eligibility rules (issues 12 and 17)",
}
LEVEL = max(SHIPPED)

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
    # Level 2 (``SHIPPED``): the purposes allowed per message key ("QH A C ..."),
    # the reason terms that contradict a purpose ("C BACKGROUND"), California's
    # criminal-history keys (off until the ACC checks them), the release window.
    purpose_keys: tuple[str, ...] = ()
    purpose_reasons: tuple[str, ...] = ()
    california_keys: tuple[str, ...] = ()
    california_enabled: bool = False
    release_window_days: int = 7
    level: int = LEVEL

    def enabled(self, rule: str) -> bool:
        return RULES[rule].since <= self.level

    @property
    def names(self) -> list[str]:
        """The rules of this level, in ``RULES`` order."""
        return [name for name in RULES if self.enabled(name)]

    def with_overrides(self, **overrides: object) -> RuleSet:
        """A copy with the non-empty overrides applied (blank means "default")."""
        given = {k: v for k, v in overrides.items() if v not in (None, "", ())}
        return replace(self, **given)

    # -- the regular expressions handed to DuckDB (RE2 syntax) -----------------
    @property
    def keys_upper(self) -> list[str]:
        keys = set(self.chri_keys)
        if self.california_enabled and self.level >= 2:
            keys |= set(self.california_keys)
        return sorted({k.upper() for k in keys})

    def allowed_purposes(self) -> dict[str, list[str]]:
        """``{message key: [purpose codes allowed with it]}``; a key not listed
        allows every valid purpose."""
        table: dict[str, list[str]] = {}
        for line in self.purpose_keys:
            key, *codes = line.upper().split()
            table[key] = sorted(set(codes))
        return table

    def mismatch_terms(self) -> dict[str, tuple[str, ...]]:
        """``{purpose: (reason terms that do not fit it)}``."""
        table: dict[str, list[str]] = {}
        for line in self.purpose_reasons:
            purpose, _, term = line.strip().partition(" ")
            if term.strip():
                table.setdefault(purpose.upper(), []).append(term.strip())
        return {p: tuple(terms) for p, terms in table.items()}

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

    def mismatch_regex(self) -> str:
        """Matches ``PURPOSE|RTE`` (upper case) when the RTE holds a term that does
        not fit the purpose (PURPOSE_REASON_MISMATCH); never below level 2."""
        if self.level < 2:
            return NEVER
        parts = [
            rf"^{_escape(purpose)}\|(?:.*?[^A-Z0-9])?(?:{_alternation(terms)})"
            rf"{_WORD_END}"
            for purpose, terms in sorted(self.mismatch_terms().items())
        ]
        return "|".join(parts) or NEVER

    def term_regex(self, purpose: str) -> str:
        """Group 1: the term of ``purpose``'s list the RTE holds."""
        return _whole_words(self.mismatch_terms().get(purpose, ()))

    def ori_regex(self) -> str:
        """A 9-character ORI in the RTE or attention (RELEASE_NOT_LOGGED)."""
        return ORI_REGEX if self.level >= 2 else NEVER


# A "word" is a run of letters and digits of the upper-cased text, so "DV" is not in
# "ADVISED" and "ARREST" is not in "ARRESTED"; multi-word terms allow any spacing.
_WORD_START = "(?:^|[^A-Z0-9])"
_WORD_END = "(?:[^A-Z0-9]|$)"
NEVER = r"\b\B"  # matches nothing (RE2 has no (?!) lookahead)

# An ORI as NCIC assigns a local agency's: a US state or territory code, a 3-digit
# county code and 4 letters or digits (CA0194200, CA019015C; NCIC ORI File; brief
# §7). ACC Desk's pattern: federal ORIs (DCFBIWA00) do not match it, and case
# numbers such as CR1234567 do not start with a state code.
STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO "
    "MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY "
    "PR VI GU AS MP"
).split()
ORI_REGEX = rf"\b((?:{'|'.join(STATES)})[0-9]{{3}}[0-9A-Z]{{4}})\b"


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


def default_rules() -> RuleSet:
    """The rules shipped with ACC Desk, at the newest level; the release window
    comes from settings (``QUERYLOG_RELEASE_WINDOW_DAYS``)."""
    from django.conf import settings

    return replace(
        _shipped(), release_window_days=settings.QUERYLOG_RELEASE_WINDOW_DAYS
    )


@cache
def _shipped() -> RuleSet:
    return RuleSet(
        chri_keys=read_list("chri_keys"),
        purpose_codes=read_list("purpose_codes"),
        titles=read_list("titles"),
        requester_patterns=read_list("requester_patterns"),
        reason_terms=read_list("reason_terms"),
        generic_terms=read_list("generic_terms"),
        case_patterns=read_list("case_patterns"),
        purpose_keys=read_list("purpose_keys"),
        purpose_reasons=read_list("purpose_reasons"),
        california_keys=read_list("california_keys"),
    )


# -- A rule set as JSON: the settings of a rule-set version (``ruleset.py``) --------


def snapshot(rules: RuleSet) -> dict[str, Any]:
    """Every setting of ``rules`` as JSON (tuples as lists)."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in dataclasses.asdict(rules).items()
    }


def from_snapshot(data: dict[str, Any]) -> RuleSet:
    """The ``RuleSet`` of a version. A setting a version predates takes the value
    that reproduces what that version computed (the field's default; level 1)."""
    fields = {f.name: f for f in dataclasses.fields(RuleSet)}
    values = {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in data.items()
        if name in fields
    }
    values.setdefault("level", 1)
    return RuleSet(**values)
