"""The rules of level 2 (``rules.SHIPPED``), run after ``duck.check`` over the same
in-memory ``ql_chri`` (their inputs are computed in the same single pass,
``duck._DERIVED``: ``mkey``, ``mismatch_rte``, ``oris``), adding to
``ql_findings``:

- PURPOSE_REASON_MISMATCH: the purpose code is not allowed with the message key
  (``data/purpose_keys.txt``), or the RTE holds a term that does not fit the
  purpose (``data/purpose_reasons.txt``).
- RELEASE_NOT_LOGGED: the RTE or attention names a 9-character ORI other than the
  agency's own, and the release log has no release to that requesting ORI within
  ``release_window_days`` of the inquiry (11 CCR §707(c)).
- OPERATOR_NOT_AUTHORIZED, computed from the eligibility rules
  (``personnel/authorization.py``): the operator's person had a reason to be
  deactivated on the query's day, or the account was disabled; the intervals are
  a table DuckDB joins against, the rules are never written in SQL.

COVERAGE_GAP is a property of the archive, not of rows: ``summaries.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accdesk.querylogs.rules import RuleSet

if TYPE_CHECKING:
    from accdesk.agency.models import Agency
    from accdesk.querylogs.duck import Connection

NO_RELEASE_LOG = "no release log: give --agency (the agency's release log)"
ARCHIVE_ONLY = "checked on the agency's archive (import), not on one file"


def not_checked(rules: RuleSet, agency: Agency | None) -> dict[str, str]:
    """What ``audit`` cannot check of these rules (its ``not_checked``)."""
    if rules.level < 2:
        return {}
    missing = {"COVERAGE_GAP": ARCHIVE_ONLY}
    if agency is None:
        missing["RELEASE_NOT_LOGGED"] = NO_RELEASE_LOG
    return missing


def apply(
    con: Connection, rules: RuleSet, agency: Agency | None, with_people: bool
) -> None:
    """Add the level-2 findings of ``ql_chri`` to ``ql_findings``."""
    if rules.level < 2:
        return
    _purpose_rule(con, rules)
    if agency is None:
        return
    _release_rule(con, rules, agency)
    if with_people:
        _authorization_rule(con, agency)


def _purpose_rule(con: Connection, rules: RuleSet) -> None:
    allowed = rules.allowed_purposes()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE ql_purpose_keys AS "
        "SELECT unnest($keys) AS mkey, unnest($codes) AS codes",
        {"keys": list(allowed), "codes": list(allowed.values())},
    )
    terms = rules.mismatch_terms()
    # One bound pattern per purpose (purposes are letters: ``forms.py``, data/);
    # the CASE runs only on the rows the single-pass test kept (mismatch_rte).
    cases = " ".join(
        f"WHEN '{purpose}' THEN regexp_extract(mismatch_rte, $t{i}, 1)"
        for i, purpose in enumerate(sorted(terms))
        if purpose.isalnum()
    )
    params: dict[str, Any] = {
        f"t{i}": rules.term_regex(purpose) for i, purpose in enumerate(sorted(terms))
    }
    term = f"CASE purpose {cases} END" if cases else "NULL"
    con.execute(
        f"""
        INSERT INTO ql_findings
        SELECT c.ref, 'PURPOSE_REASON_MISMATCH', 'warning',
               CASE WHEN k.mkey IS NOT NULL AND NOT list_contains(k.codes, c.purpose)
                    THEN 'purpose code ' || c.purpose || ' is not allowed with '
                         || c.mkey || ' (allowed: '
                         || array_to_string(k.codes, ' ') || ')'
                    ELSE 'purpose code ' || c.purpose || ' with the reason '
                         || {term} END,
               NULL
        FROM ql_chri c LEFT JOIN ql_purpose_keys k ON k.mkey = c.mkey
        WHERE c.in_scope AND list_contains($purposes, c.purpose)
          AND ((k.mkey IS NOT NULL AND NOT list_contains(k.codes, c.purpose))
               OR c.mismatch_rte IS NOT NULL)
        """,
        {**params, "purposes": rules.purposes_upper},
    )


def _release_rule(con: Connection, rules: RuleSet, agency: Agency) -> None:
    from accdesk.releaselogs.models import ReleaseLogEntry

    releases = ReleaseLogEntry.objects.filter(agency=agency).values_list(
        "requesting_ori", "released_at"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE ql_releases AS "
        "SELECT upper(trim(unnest($oris))) AS ori, "
        "unnest($times)::TIMESTAMPTZ::DATE AS day",
        {
            "oris": [ori or "" for ori, _ in releases],
            "times": [at for _, at in releases],
        },
    )
    own = sorted({o.upper() for o in agency.all_oris()})
    con.execute(
        """
        INSERT INTO ql_findings
        SELECT ref, 'RELEASE_NOT_LOGGED', 'lead',
               'ORI ' || string_agg(ori, ', ' ORDER BY ori)
               || ' named in the RTE or attention; the release log has no release '
               || 'to it from ' || strftime(any_value(day) - $days::INTEGER,
                                            '%Y-%m-%d')
               || ' to ' || strftime(any_value(day) + $days::INTEGER, '%Y-%m-%d'),
               NULL
        FROM (SELECT DISTINCT ref, ts::DATE AS day, unnest(oris) AS ori
              FROM ql_chri WHERE in_scope AND oris IS NOT NULL) o
        WHERE NOT list_contains($own, ori)
          AND NOT EXISTS (
              SELECT 1 FROM ql_releases r
              WHERE r.ori = o.ori
                AND r.day BETWEEN o.day - $days::INTEGER AND o.day + $days::INTEGER)
        GROUP BY ref
        """,
        {"own": own, "days": rules.release_window_days},
    )


def _authorization_rule(con: Connection, agency: Agency) -> None:
    """OPERATOR_NOT_AUTHORIZED from the eligibility rules (issue 12 §1 item 11),
    replacing the level-1 test of ``duck._PEOPLE_RULES``; an operator ID without
    an account is still one."""
    from accdesk.personnel.authorization import unauthorized_intervals

    days = [
        day
        for (day,) in con.execute(
            "SELECT DISTINCT ts::DATE FROM ql_chri WHERE in_scope"
        ).fetchall()
    ]
    ops = [
        op
        for (op,) in con.execute(
            "SELECT DISTINCT op FROM ql_chri WHERE in_scope"
        ).fetchall()
    ]
    intervals = unauthorized_intervals(agency, days, operators=ops)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE ql_unauthorized AS "
        "SELECT unnest($op) AS op, unnest($start)::DATE AS start, "
        "unnest($end)::DATE AS stop, unnest($why) AS why",
        {
            "op": [i.operator_id for i in intervals],
            "start": [i.start for i in intervals],
            "end": [i.end for i in intervals],
            "why": [i.why for i in intervals],
        },
    )
    con.execute("DELETE FROM ql_findings WHERE rule = 'OPERATOR_NOT_AUTHORIZED'")
    con.execute(
        """
        INSERT INTO ql_findings
        SELECT c.ref, 'OPERATOR_NOT_AUTHORIZED', 'lead',
               CASE WHEN o.op IS NULL
                    THEN 'operator ID ' || c.op || ' matches no account'
                    ELSE 'on ' || strftime(c.ts::DATE, '%Y-%m-%d') || ' the operator '
                         || u.why END,
               NULL
        FROM ql_chri c LEFT JOIN ql_operators o USING (op)
        LEFT JOIN ql_unauthorized u
               ON u.op = c.op AND c.ts::DATE BETWEEN u.start AND u.stop
        WHERE c.in_scope AND (o.op IS NULL OR u.op IS NOT NULL)
        """
    )
