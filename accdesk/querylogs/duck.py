"""All DuckDB code of the query-log audit: vectorised SQL over CSV and Parquet.

No Python loop touches a log row: rows are read, checked and written by DuckDB.
Every value from outside (paths, vocabularies, patterns, dates) is a bound
parameter; the few identifiers put into SQL text (generated column names, the
time zone, vault file names) are produced or validated here.

The audit works on a table ``ql_chri`` of criminal-history inquiries:

    ref           the row's reference: its data-row number in a file, or its
                  archive key (NULL for context rows)
    ts            TIMESTAMPTZ
    operator_id, terminal, purpose_code, attention, rte, case_number,
    subject_name, subject_dob      as in the log
    in_scope      false for archive rows loaded only as context for REPEAT_SUBJECT

``check`` turns it into ``ql_findings(ref, rule, severity, detail, subject)``.
"""

from __future__ import annotations

import gzip
import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings

from accdesk.querylogs import logfile
from accdesk.querylogs.logfile import COLUMNS, LogLayout
from accdesk.querylogs.rules import COMPLIANCE_SEVERITIES, RuleSet
from accdesk.querylogs.vault import VaultFileSystem

Connection = duckdb.DuckDBPyConnection

# Names are compared on surname and first given name, ignoring case, accents,
# punctuation, spacing, middle names and suffixes (issue 4). A macro must not use a
# parameter twice: DuckDB would evaluate the argument twice.
_MACROS = r"""
CREATE TEMP MACRO ql_letters(s) AS strip_accents(upper(coalesce(s, '')));
CREATE TEMP MACRO ql_surname(s) AS
    regexp_replace(ql_letters(s), '\b(?:JR|SR|II|III|IV)\b|[^A-Z]+', '', 'g');
CREATE TEMP MACRO ql_given(s) AS translate(regexp_extract(ql_letters(s),
    '^[^A-Z]*(?:(?:JR|SR|II|III|IV)\b[^A-Z]*)*([A-Z][A-Z''.-]*)', 1), '''.-', '');
CREATE TEMP MACRO ql_subject_given(name) AS
    ql_given(substr(name, strpos(name, ',') + 1));
CREATE TEMP MACRO ql_iso_fix(s) AS CASE length(s)
    WHEN 29 THEN s || ':00' ELSE s[:29] || ':' || s[30:] END;
CREATE TEMP MACRO ql_iso(t) AS ql_iso_fix(strftime(t, '%Y-%m-%dT%H:%M:%S.%f%z'));
"""


def connect(tz: str, vault: VaultFileSystem | None = None) -> Connection:
    """A fresh in-memory DuckDB with the agency's time zone: timestamps without an
    offset are read as local time there, and ``ts::DATE`` is the local date."""
    if tz not in zoneinfo.available_timezones():
        raise ValueError(f"unknown time zone {tz!r}")
    temp = Path(settings.DATA_DIR) / "tmp" / "duckdb"
    temp.mkdir(parents=True, exist_ok=True, mode=0o700)
    con = duckdb.connect(
        config={
            "memory_limit": f"{settings.QUERYLOG_MEMORY_LIMIT_MB}MB",
            "temp_directory": str(temp),
            "autoinstall_known_extensions": False,
        }
    )
    con.execute(f"SET TimeZone = '{tz}'")  # validated above; SET takes no parameters
    con.execute("SET enable_progress_bar = false")
    con.execute(_MACROS)
    if vault is not None:
        con.register_filesystem(vault)
    return con


def check_regex(pattern: str) -> str | None:
    """The RE2 error for ``pattern``, or None when DuckDB accepts it."""
    try:
        duckdb.connect().execute("SELECT regexp_matches('', ?)", [pattern]).fetchone()
    except duckdb.Error as exc:
        return str(exc).splitlines()[0]
    return None


# -- Reading a log file ----------------------------------------------------------


SENTINEL = "~ACCDESK-END~"

# An ISO 8601 date and time, with or without an offset (without: the agency's
# local time, the connection's TimeZone); anything else is NULL.
TIMESTAMP = "try_cast(timestamp AS TIMESTAMPTZ)"


def _csv_source(layout: LogLayout, *, sentinel: bool = True) -> str:
    """``SELECT`` of the canonical columns from the CSV ($path) and the one-row
    sentinel file ($sentinel) read after it.

    Every column is read as text: a row with the wrong number of fields or bytes
    that are not UTF-8 goes to the rejects table, with its line number. The
    timestamp is parsed after reading (``TIMESTAMP``): typed, the reader would stop
    at a bad byte in it instead of rejecting the row.
    """
    types = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(layout.width))
    picks = ", ".join(f"c{layout.positions[name]} AS {name}" for name in COLUMNS)
    compression = "gzip" if layout.gzipped else "none"
    return (
        f"SELECT {picks} FROM read_csv([$path{', $sentinel' if sentinel else ''}], "
        f"columns={{{types}}}, "
        "header=true, auto_detect=false, delim=',', quote='\"', escape='\"', "
        f"compression='{compression}', store_rejects=true, "
        "rejects_table='ql_rejects', rejects_scan='ql_reject_scans', "
        "rejects_limit=0)"
    )


def write_sentinel(layout: LogLayout, target: Path) -> Path:
    """A file with one row, read after the log: its row number, minus one, is the
    number of rows DuckDB read. (``lead()`` would tell the last row too, but it
    copies every row it passes and costs more than reading the file.)"""
    cells = [""] * layout.width
    cells[layout.positions["timestamp"]] = "2000-01-01T00:00:00Z"
    cells[layout.positions["message_key"]] = SENTINEL
    text = ",".join(f"c{i}" for i in range(layout.width)) + "\n" + ",".join(cells)
    data = (text + "\n").encode()
    target.write_bytes(gzip.compress(data) if layout.gzipped else data)
    return target


@dataclass(frozen=True)
class FileLoad:
    accepted: int
    skipped: list[tuple[int, str]]
    # (ORI as logged, rows) of the readable rows whose ORI is not one the agency
    # answers for; empty when no ORIs were given (``audit`` without ``--agency``).
    foreign: list[tuple[str, int]] = field(default_factory=list)
    fast: bool = False  # read by the fast path (reader.py): no unreadable rows

    @property
    def rows(self) -> int:
        return self.accepted + len(self.skipped)


def read_exact(
    con: Connection,
    layout: LogLayout,
    rules: RuleSet,
    sentinel: Path,
    oris: Sequence[str] | None = None,
) -> tuple[int, list[tuple[int, str]]]:
    """The exact path (reader.py): read the file once with DuckDB's reader, which
    names every row it cannot read; keep in ``ql_raw`` the criminal-history rows,
    the rows without a usable timestamp and those of other ORIs. Returns (rows
    read, [(row, reason)] of the unreadable rows).

    The streaming ``row_number()`` numbers the rows DuckDB could read; the rows it
    could not read (``ql_rejects``) are numbered from their line, and the readable
    rows after them are shifted to make room, so every row keeps its place in the
    file. ``sentinel`` (see ``write_sentinel``) tells how many rows were read.
    """
    # The streaming window numbers every row of the file and the filter over it
    # keeps the criminal-history rows: nothing else between the reader and the
    # window, which runs on one thread (a column computed under it, or a key test
    # through a parameter, costs 15-130 % more at 10 M rows; docs/performance.md).
    _drop_raw(con)  # the fast path's view, when it sent the file here
    try:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE ql_raw AS
            SELECT * REPLACE ({TIMESTAMP} AS timestamp), timestamp AS timestamp_text
            FROM (SELECT row_number() OVER () AS ref, *
                  FROM ({_csv_source(layout)}))
            WHERE {_chri_test(rules)} OR {TIMESTAMP} IS NULL OR message_key = $end
                  {_foreign_test(oris, "OR")}
            """,
            {"path": str(layout.path), "sentinel": str(sentinel), "end": SENTINEL},
        )
    except duckdb.InvalidInputException as exc:
        # Bad rows are rejected one by one above; this is a file that is not CSV
        # text at all (binary data after the header, say).
        raise logfile.LogFormatError(
            f"The file cannot be read as CSV: {_reason(str(exc))}"
        ) from None
    read = con.execute("SELECT max(ref) - 1 FROM ql_raw").fetchone()[0]
    rejected = _number_rejects(con, layout)
    if rejected:
        con.execute(
            "UPDATE ql_raw SET ref = ref + (SELECT count(*) FROM ql_gaps "
            "WHERE ql_gaps.gap < ql_raw.ref)"
        )
    return read, rejected


def clean_rows(con: Connection, layout: LogLayout) -> int | None:
    """The fast path's check (reader.py): the number of rows DuckDB's reader finds
    when every row is readable, else None. A parallel pass without row numbers
    (Polars numbers them): it sees what Polars lets through silently -- a row with
    too few fields (Polars fills them with "") and blank lines (rows to Polars,
    none to DuckDB, whose count then differs)."""
    try:
        rows = con.execute(
            f"SELECT count(*) FROM ({_csv_source(layout, sentinel=False)})",
            {"path": str(layout.path)},
        ).fetchone()[0]
    except duckdb.InvalidInputException:
        return None
    rejected = (
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ql_rejects'"
        ).fetchone()[0]
        and con.execute("SELECT count(*) FROM ql_rejects").fetchone()[0]
    )
    con.execute("DROP TABLE IF EXISTS ql_rejects; DROP TABLE IF EXISTS ql_reject_scans")
    return None if rejected else rows


def read_frame(con: Connection, frame: Any) -> int:
    """The fast path (reader.py): ``ql_raw`` over the rows Polars kept (an Arrow
    table: ``ref`` and the canonical columns as text, the sentinel row last), a
    view read in place -- copying the rows into a table first cost a fifth of
    the audit (docs/performance.md). Empty fields become NULL, as DuckDB's reader
    makes them. Returns the number of rows in the file."""
    con.register("ql_frame", frame)
    nulls = ", ".join(f"nullif({name}, '') AS {name}" for name in COLUMNS)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW ql_raw AS
        SELECT * REPLACE ({TIMESTAMP} AS timestamp), timestamp AS timestamp_text
        FROM (SELECT ref::BIGINT AS ref, {nulls} FROM ql_frame)
        """
    )
    # No unreadable rows on this path: nothing to renumber (see number_rows).
    con.execute("CREATE OR REPLACE TEMP TABLE ql_gaps (gap BIGINT)")
    return frame.column("ref")[-1].as_py() - 1  # the sentinel's row, minus one


def _drop_raw(con: Connection) -> None:
    """Drop ``ql_raw``: the exact path's table, or the fast path's view and the
    frame under it."""
    kind = con.execute(
        "SELECT 'VIEW' FROM duckdb_views() WHERE view_name = 'ql_raw' "
        "UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE table_name = 'ql_raw'"
    ).fetchone()
    if kind is not None:
        con.execute(f"DROP {kind[0]} ql_raw")
    if kind == ("VIEW",):
        con.unregister("ql_frame")


def finish_load(
    con: Connection,
    rules: RuleSet,
    read: int,
    rejected: list[tuple[int, str]],
    oris: Sequence[str] | None = None,
) -> FileLoad:
    """``ql_chri`` from ``ql_raw`` (either path): the rows with a usable timestamp
    and a criminal-history key; the others are reported as skipped."""
    # A row whose timestamp is blank or does not parse is skipped (issue 4).
    untimed = con.execute(
        "SELECT ref, timestamp_text FROM ql_raw WHERE timestamp IS NULL "
        "AND message_key IS DISTINCT FROM $end ORDER BY ref",
        {"end": SENTINEL},
    ).fetchall()
    foreign = []
    if oris is not None:
        foreign = con.execute(
            "SELECT trim(coalesce(ori, '')) AS found, count(*) AS n FROM ql_raw "
            f"WHERE message_key IS DISTINCT FROM $end {_foreign_test(oris, 'AND')} "
            "GROUP BY found ORDER BY n DESC, found",
            {"end": SENTINEL},
        ).fetchall()
    _derive(
        con,
        rules,
        "SELECT * EXCLUDE (timestamp, timestamp_text), timestamp AS ts, "
        "true AS in_scope FROM ql_raw "
        f"WHERE timestamp IS NOT NULL AND {_chri_test(rules)}",
    )
    _drop_raw(con)
    skipped = rejected + [(ref, _bad_timestamp(text)) for ref, text in untimed]
    return FileLoad(read - len(untimed), sorted(skipped), foreign)


def _bad_timestamp(text: str | None) -> str:
    if not (text or "").strip():
        return "timestamp is blank"
    return f"timestamp {text[:40]!r} is not an ISO 8601 date and time"


def _derive(
    con: Connection, rules: RuleSet, source: str, extra: dict[str, Any] | None = None
) -> None:
    """``ql_chri`` from raw rows: a second, parallel pass (the first one is ordered
    by ``row_number()`` and runs on one thread), which computes once what the rules
    need of each row."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE ql_chri AS "
        f"SELECT ref, in_scope, {_DERIVED} FROM ({source})",
        {**_rule_params(rules), **(extra or {})},
    )


def _number_rejects(con: Connection, layout: LogLayout) -> list[tuple[int, str]]:
    """``[(row, reason)]`` for the unreadable rows; fills ``ql_gaps`` for renumbering.

    DuckDB may report several errors for one row (one per missing field: "Found:
    3", "Found: 4", ...), so rows are told apart by where they start, and the
    first error of a row (the one at its first column) is its reason. Its ``line``
    counts the header and blank lines; data rows do not.
    """
    last = con.execute("SELECT max(line_byte_position) FROM ql_rejects").fetchone()[0]
    blanks = [] if last is None else logfile.blank_line_offsets(layout.path, last + 1)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE ql_skipped AS
        SELECT min(line) - 1
                   - len(list_filter($blanks, lambda b: b < line_byte_position)) AS row,
               arg_min(error_message, coalesce(column_idx, 0)) AS reason
        FROM ql_rejects GROUP BY line_byte_position ORDER BY row
        """,
        {"blanks": blanks},
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE ql_gaps AS "
        "SELECT row - row_number() OVER (ORDER BY row) AS gap FROM ql_skipped"
    )
    rows = con.execute("SELECT row, reason FROM ql_skipped ORDER BY row").fetchall()
    return [(row, _reason(message)) for row, message in rows]


def _reason(message: str) -> str:
    """DuckDB's message, made readable: its first line."""
    return (message or "unreadable row").splitlines()[0]


def reason(exc: duckdb.Error) -> str:
    """The first line of a DuckDB error, for a sentence of ``verify``."""
    return _reason(str(exc))


# -- Roster and accounts ---------------------------------------------------------


@dataclass(frozen=True)
class People:
    """The agency's accounts and roster, as the lead rules need them."""

    accounts: Sequence[tuple[str, str, Any]]  # operator_id, employee_id, disabled
    persons: Sequence[tuple[str, str, str, Any]]  # employee_id, last, first, separated


def load_people(con: Connection, people: People) -> None:
    # Operator IDs are compared ignoring case: accounts whose IDs differ only in
    # case count once (the one still active, else the one disabled last), so that
    # a row gets one finding per rule.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE ql_accounts AS
        SELECT DISTINCT ON (op) * FROM (
            SELECT upper(trim(unnest($op))) AS op, trim(unnest($emp)) AS employee_id,
                   unnest($disabled)::DATE AS disabled_date)
        ORDER BY op, disabled_date DESC NULLS FIRST, employee_id
        """,
        {
            "op": [a[0] for a in people.accounts],
            "emp": [a[1] or "" for a in people.accounts],
            "disabled": [a[2] for a in people.accounts],
        },
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE ql_people AS
        SELECT employee_id, CASE WHEN surname <> '' AND given <> ''
                                 THEN surname || ',' || given ELSE '' END AS name_key,
               separation_date
        FROM (SELECT trim(unnest($emp)) AS employee_id,
                     ql_surname(unnest($last)) AS surname,
                     ql_given(unnest($first)) AS given,
                     unnest($sep)::DATE AS separation_date)
        """,
        {
            "emp": [p[0] for p in people.persons],
            "last": [p[1] for p in people.persons],
            "first": [p[2] for p in people.persons],
            "sep": [p[3] for p in people.persons],
        },
    )


# -- The rules -------------------------------------------------------------------


def check(con: Connection, rules: RuleSet, with_people: bool) -> None:
    """Run every rule over ``ql_chri``; the result is ``ql_findings``."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE ql_findings AS
        {_ROW_RULES}
        UNION ALL {_REPEAT_RULE}
        """,
        {
            "purposes": rules.purposes_upper,
            "operators": rules.repeat_operators,
            "hours": rules.repeat_hours,
        },
    )
    if with_people:
        con.execute(_OPERATORS)
        con.execute(f"INSERT INTO ql_findings {_PEOPLE_RULES}")


def _foreign_test(oris: Sequence[str] | None, joiner: str) -> str:
    """``OR``/``AND`` the row's ORI is none of ``oris`` (nothing without them).
    ORIs are 9 letters and digits (agency/models.py validates them), written as
    SQL string literals like the keys of ``_chri_test``."""
    if oris is None:
        return ""
    if not all(o.isalnum() for o in oris):
        raise ValueError(f"unexpected ORI in {oris!r}")
    listed = ", ".join(f"'{o.upper()}'" for o in oris) or "NULL"
    return f"{joiner} upper(trim(coalesce(ori, ''))) NOT IN ({listed})"


def _chri_test(rules: RuleSet) -> str:
    """``upper(trim(message_key)) IN ('QH', ...)``: the keys are letters and
    digits (``forms.py`` checks them), written as SQL string literals."""
    keys = ", ".join("'" + key.replace("'", "''") + "'" for key in rules.keys_upper)
    return f"upper(trim(message_key)) IN ({keys or 'NULL'})"


def _rule_params(rules: RuleSet) -> dict[str, str]:
    return {
        "requester": rules.requester_regex(),
        "reason": rules.reason_regex(),
        "generic": rules.generic_regex(),
        "case": rules.case_regex(),
        # crossrules.py's rules (level 2): only the few rows they may flag keep
        # their RTE or the ORIs in it.
        "mismatch": rules.mismatch_regex(),
        "ori": rules.ori_regex(),
    }


# What the rules need of a row, computed once when the row is loaded (from raw
# log columns). Each regular expression runs only on the rows that need it: an AND
# evaluates its right side only where the left side holds.
_DERIVED = r"""
    ts, operator_id, terminal,
    upper(trim(coalesce(operator_id, ''))) AS op,
    upper(trim(coalesce(purpose_code, ''))) AS purpose,
    trim(coalesce(rte, '')) = '' AS rte_blank,
    trim(coalesce(attention, '')) = ''
        AND NOT regexp_matches(upper(coalesce(rte, '')), $requester) AS no_requester,
    CASE WHEN NOT regexp_matches(upper(coalesce(rte, '')), $reason)
         THEN regexp_extract(upper(coalesce(rte, '')), $generic, 1) END AS generic,
    trim(coalesce(case_number, '')) = ''
        AND NOT regexp_matches(upper(coalesce(rte, '')), $case) AS no_case,
    ql_surname(split_part(subject_name, ',', 1)) AS surname,
    CASE WHEN strpos(subject_name, ',') > 0
         THEN ql_subject_given(subject_name) ELSE '' END AS given,
    trim(coalesce(subject_dob, '')) AS dob,
    upper(trim(coalesce(message_key, ''))) AS mkey,
    CASE WHEN regexp_matches(upper(trim(coalesce(purpose_code, ''))) || '|'
                             || upper(coalesce(rte, '')), $mismatch)
         THEN upper(coalesce(rte, '')) END AS mismatch_rte,
    CASE WHEN regexp_matches(upper(coalesce(rte, '') || ' '
                                   || coalesce(attention, '')), $ori)
         THEN regexp_extract_all(upper(coalesce(rte, '') || ' '
                                       || coalesce(attention, '')), $ori, 1)
         END AS oris
"""

# Row-by-row rules: one SELECT per rule, each a filter over the same table.
_ROW_RULES = """
SELECT ref, 'PURPOSE_INVALID' AS rule, 'violation' AS severity,
       CASE WHEN purpose = '' THEN 'purpose code is blank'
            WHEN purpose = 'R' THEN 'purpose code R is used only by the FBI; '
                 || 'it is invalid for local users'
            ELSE 'purpose code ' || purpose || ' is not one of '
                 || array_to_string($purposes, ' ') END AS detail,
       NULL::VARCHAR AS subject
FROM ql_chri WHERE in_scope AND NOT list_contains($purposes, purpose)
UNION ALL
SELECT ref, 'RTE_MISSING', 'violation', 'the RTE is blank', NULL
FROM ql_chri WHERE in_scope AND rte_blank
UNION ALL
SELECT ref, 'RTE_NO_REQUESTER', 'violation',
       'attention is blank and the RTE holds no title and name, badge or ID', NULL
FROM ql_chri WHERE in_scope AND NOT rte_blank AND no_requester
UNION ALL
SELECT ref, 'RTE_NO_REASON', 'violation',
       CASE WHEN generic <> '' THEN 'generic reason only: ' || generic
            ELSE 'the RTE holds no reason term' END, NULL
FROM ql_chri WHERE in_scope AND NOT rte_blank AND generic IS NOT NULL
UNION ALL
SELECT ref, 'CASE_MISSING', 'warning',
       'case_number is blank and the RTE holds no case number', NULL
FROM ql_chri WHERE in_scope AND no_case
"""

# REPEAT_SUBJECT. A row is flagged when some window of $hours holds it and queries
# of its subject by >= $operators distinct operators. The earliest query of such a
# set can start the window, so it is enough to look at windows starting at a
# query: ``ops_ahead`` counts the operators in [ts, ts + hours]; a row is covered
# by the latest qualifying start at or before it, if it ends at or after the row.
_REPEAT_RULE = """
SELECT ref, 'REPEAT_SUBJECT', 'lead',
       'queried by ' || (w).ops || ' distinct operators within ' || $hours
       || ' hours from ' || strftime((w).ts, '%Y-%m-%d %H:%M'), md5(subject)
FROM (
    SELECT *, max(CASE WHEN ops_ahead >= $operators
                       THEN struct_pack(ts := ts, ops := ops_ahead) END)
              OVER (PARTITION BY subject ORDER BY ts
                    RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS w
    FROM (
        SELECT ref, ts, in_scope, subject,
               count(DISTINCT op) OVER (PARTITION BY subject ORDER BY ts
                   RANGE BETWEEN CURRENT ROW AND to_hours($hours::BIGINT) FOLLOWING)
                   AS ops_ahead
        FROM (SELECT *, surname || ',' || given || '|' || dob AS subject
              FROM ql_chri
              WHERE surname <> '' AND dob <> '')
        WHERE subject IN (
            SELECT surname || ',' || given || '|' || dob FROM ql_chri
            WHERE surname <> '' AND dob <> ''
            GROUP BY ALL HAVING count(DISTINCT op) >= $operators)
    )
)
WHERE in_scope AND w IS NOT NULL AND ts <= (w).ts + to_hours($hours::BIGINT)
"""

# Each operator ID (case-insensitive) with its account and the account's person.
_OPERATORS = """
CREATE OR REPLACE TEMP TABLE ql_operators AS
SELECT a.op, a.employee_id, a.disabled_date, p.name_key AS own_key,
       p.separation_date
FROM ql_accounts a LEFT JOIN ql_people p
  ON p.employee_id = a.employee_id AND a.employee_id <> ''
"""

_PEOPLE_RULES = """
WITH c AS (
    SELECT ref, ts, op, dob, CASE WHEN surname <> '' AND given <> ''
                                  THEN surname || ',' || given ELSE '' END AS name_key
    FROM ql_chri WHERE in_scope
)
SELECT c.ref, 'SELF_QUERY', 'lead',
       'the subject''s name is the operator''s own (employee ' || o.employee_id
       || ')', md5(c.name_key || '|' || c.dob)
FROM c JOIN ql_operators o USING (op)
WHERE c.name_key <> '' AND c.name_key = o.own_key
UNION ALL
SELECT c.ref, 'COWORKER_QUERY', 'lead',
       'the subject''s name matches roster employee '
       || string_agg(DISTINCT p.employee_id, ', ' ORDER BY p.employee_id),
       md5(c.name_key || '|' || c.dob)
FROM c JOIN ql_people p ON p.name_key = c.name_key
LEFT JOIN ql_operators o USING (op)
WHERE c.name_key <> '' AND p.employee_id IS DISTINCT FROM o.employee_id
GROUP BY c.ref, c.name_key, c.dob
UNION ALL
SELECT c.ref, 'OPERATOR_NOT_AUTHORIZED', 'lead',
       CASE WHEN o.op IS NULL THEN 'operator ID ' || c.op || ' matches no account'
            WHEN c.ts::DATE >= o.disabled_date
            THEN 'the account was disabled on ' || o.disabled_date
            ELSE 'the person separated on ' || o.separation_date END,
       NULL
FROM c LEFT JOIN ql_operators o USING (op)
WHERE o.op IS NULL OR c.ts::DATE >= o.disabled_date OR c.ts::DATE > o.separation_date
"""


# -- Results ---------------------------------------------------------------------


def summary(con: Connection) -> tuple[int, int, dict[str, int]]:
    """(criminal-history rows, rows with a finding, findings per rule)."""
    chri = con.execute("SELECT count(*) FROM ql_chri WHERE in_scope").fetchone()[0]
    flagged = con.execute("SELECT count(DISTINCT ref) FROM ql_findings").fetchone()[0]
    by_rule = dict(
        con.execute("SELECT rule, count(*) FROM ql_findings GROUP BY rule").fetchall()
    )
    return chri, flagged, by_rule


FINDINGS_CSV_HEADER = (
    "row",
    "rule",
    "severity",
    "timestamp",
    "operator_id",
    "terminal",
    "detail",
)


def write_findings_csv(con: Connection, target: Path) -> None:
    """One line per (row, rule), sorted by row then rule; no subject data.

    COPY writes to a name generated here; the caller moves it where asked.
    """
    con.execute(
        f"""
        COPY (SELECT f.ref AS row, f.rule, f.severity, ql_iso(c.ts) AS timestamp,
                     c.operator_id, c.terminal, f.detail
              FROM ql_findings f JOIN ql_chri c ON c.ref = f.ref AND c.in_scope
              ORDER BY row, rule)
        TO '{_safe_path(target)}' (HEADER, DELIMITER ',')
        """
    )


def _safe_path(path: Path | str) -> str:
    """A path or vault URL generated by ACC Desk, checked before it goes into SQL
    text (COPY ... TO takes no parameter)."""
    text = str(path)
    if "'" in text or "\n" in text:
        raise ValueError(f"unexpected character in generated path {text!r}")
    return text


# -- The archive (encrypted Parquet, see archive.py for the layout) ---------------

ARCHIVE_COLUMNS = (
    "key, ts, ori, terminal, operator_id, message_key, purpose_code, attention, rte, "
    "case_number, subject_name, subject_dob, import_id, source_row"
)


def number_rows(
    con: Connection, layout: LogLayout, sentinel: Path, target: Path
) -> None:
    """The exact path's numbered rows for the archive (``reader.numbered_rows``):
    every readable row with its number in the file, as Parquet at ``target``.
    ``read_exact`` must have run on the same file: its ``ql_gaps`` give the rows
    after an unreadable one their place in the file."""
    renumber = con.execute("SELECT count(*) FROM ql_gaps").fetchone()[0] > 0
    ref = (
        "ref + (SELECT count(*) FROM ql_gaps WHERE ql_gaps.gap < s.ref)"
        if renumber
        else "ref"
    )
    con.execute(
        f"""
        COPY (SELECT {ref} AS ref, * EXCLUDE (ref)
              FROM (SELECT row_number() OVER () AS ref, *
                    FROM ({_csv_source(layout)})) s
              WHERE message_key IS DISTINCT FROM $end)
        TO '{_safe_path(target)}' (FORMAT parquet, COMPRESSION lz4)
        """,
        {"path": str(layout.path), "sentinel": str(sentinel), "end": SENTINEL},
    )


def archive_file(
    con: Connection,
    rows: Path,
    *,
    import_id: int,
    existing: list[str],
    target: str,
) -> tuple[int, list[str]]:
    """Append the file's rows that the archive does not hold yet, one Parquet file
    per month under ``target``; returns (rows written, files written). ``rows``
    is the file's rows with their numbers in the file (``reader.numbered_rows``).

    A row's key is the MD5 of its content (the timestamp as an instant), so the same
    row imported twice -- or in two overlapping exports, or twice in one file -- is
    stored once (within the file, its first occurrence). A row without a timestamp
    is not stored: it has no month.
    """
    nulls = ", ".join(f"nullif({name}, '') AS {name}" for name in COLUMNS)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW ql_keyed AS
        SELECT *, md5(concat_ws(chr(31), epoch_us(ts)::VARCHAR,
                   coalesce(ori, ''), coalesce(terminal, ''),
                   coalesce(operator_id, ''), coalesce(message_key, ''),
                   coalesce(purpose_code, ''), coalesce(attention, ''),
                   coalesce(rte, ''), coalesce(case_number, ''),
                   coalesce(subject_name, ''), coalesce(subject_dob, ''))) AS key
        FROM (SELECT *, {TIMESTAMP} AS ts
              FROM (SELECT ref::BIGINT AS ref, {nulls}
                    FROM read_parquet('{_safe_path(rows)}')))
        WHERE ts IS NOT NULL
        """
    )
    # Rows repeated within the file, found by grouping the keys alone: a window
    # partitioned by key would hold every row of the file (half of a 10 M-row
    # import, docs/performance.md); repeats are few.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE ql_repeats AS "
        "SELECT key, min(ref) AS first FROM ql_keyed GROUP BY key HAVING count(*) > 1"
    )
    known = (
        "AND key NOT IN (SELECT key FROM read_parquet($existing))" if existing else ""
    )
    written = con.execute(
        f"""
        COPY (
            SELECT key, ts, ori, terminal, operator_id, message_key, purpose_code,
                   attention, rte, case_number, subject_name, subject_dob,
                   $import_id::BIGINT AS import_id, ref AS source_row,
                   strftime(ts, '%Y-%m') AS month
            FROM ql_keyed s
            WHERE NOT EXISTS (SELECT 1 FROM ql_repeats r
                              WHERE r.key = s.key AND s.ref > r.first) {known}
        ) TO '{_safe_path(target)}' (FORMAT parquet, COMPRESSION zstd,
            PARTITION_BY (month), OVERWRITE_OR_IGNORE,
            FILENAME_PATTERN 'import{int(import_id)}_{{i}}',
            RETURN_FILES)
        """,
        {"import_id": import_id, **({"existing": existing} if existing else {})},
    ).fetchone()
    con.execute("DROP VIEW ql_keyed; DROP TABLE ql_repeats")
    return written[0], list(written[1] or [])


def load_archive(
    con: Connection,
    files: list[str],
    rules: RuleSet,
    *,
    start: Any,
    end: Any,
    months: list[str],
) -> None:
    """``ql_chri`` from archive files: rows from ``start`` to ``end``, one per key
    (an archive written before keys were unique within a file may hold a row
    twice); those of ``months`` are in scope, the others are context for
    REPEAT_SUBJECT."""
    if not files:
        _derive(con, rules, _EMPTY_RAW)
        return
    _derive(
        con,
        rules,
        f"""
        SELECT DISTINCT ON (key) key AS ref,
               strftime(ts, '%Y-%m') IN $months AS in_scope, *
        FROM read_parquet($files)
        WHERE ts >= $start AND ts < $end AND {_chri_test(rules)}
        """.replace("$months", "(SELECT unnest($months))"),
        extra={
            "files": files,
            "start": start,
            "end": end,
            "months": months,
        },
    )


_EMPTY_RAW = """
SELECT NULL::VARCHAR AS ref, false AS in_scope, NULL::TIMESTAMPTZ AS ts,
       NULL::VARCHAR AS operator_id, NULL::VARCHAR AS terminal,
       NULL::VARCHAR AS message_key, NULL::VARCHAR AS purpose_code,
       NULL::VARCHAR AS attention,
       NULL::VARCHAR AS rte, NULL::VARCHAR AS case_number,
       NULL::VARCHAR AS subject_name, NULL::VARCHAR AS subject_dob
WHERE false
"""


def add_context(con: Connection, files: list[str], rules: RuleSet, hours: int) -> None:
    """Add archive rows around the file's time span to ``ql_chri`` as context (not
    in scope): REPEAT_SUBJECT then counts operators across the archive."""
    if not files:
        return
    span = con.execute("SELECT min(ts), max(ts) FROM ql_chri").fetchone()
    if span[0] is None:
        return
    con.execute(
        f"""
        INSERT INTO ql_chri BY NAME
        SELECT NULL AS ref, false AS in_scope, {_DERIVED}
        FROM read_parquet($files)
        WHERE ts >= $start - to_hours($hours::BIGINT)
          AND ts <= $end + to_hours($hours::BIGINT)
          AND {_chri_test(rules)}
        """,
        {
            "files": files,
            "start": span[0],
            "end": span[1],
            "hours": hours,
            **_rule_params(rules),
        },
    )


def prepare_month_results(con: Connection) -> None:
    """What every month's results are cut from (``write_month_results``), worked
    out once: joining and grouping the findings again for each month of a year
    took half of a 10 M-row import (docs/performance.md)."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE ql_month_findings AS
        SELECT f.ref AS key, f.rule, f.severity, f.detail, f.subject, c.ts,
               c.operator_id, c.terminal, strftime(c.ts, '%Y-%m') AS month
        FROM ql_findings f JOIN ql_chri c ON c.ref = f.ref AND c.in_scope;
        CREATE OR REPLACE TEMP TABLE ql_chri_keys AS
        SELECT DISTINCT ref FROM ql_chri WHERE in_scope;
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE ql_key_flags AS
        SELECT ref, bool_or(list_contains($noncompliant, severity)) AS noncompliant,
               bool_or(severity = 'lead') AS lead
        FROM ql_findings GROUP BY ref
        """,
        {"noncompliant": list(COMPLIANCE_SEVERITIES)},
    )


def write_month_results(
    con: Connection, month: str, month_files: list[str], findings: str, stats: str
) -> None:
    """Write one month's findings and daily counts (for the overview page); each
    archive key counts once. ``prepare_month_results`` must have run."""
    con.execute(
        f"""
        COPY (SELECT * EXCLUDE (month) FROM ql_month_findings WHERE month = $month
              ORDER BY ts, rule)
        TO '{_safe_path(findings)}' (FORMAT parquet, COMPRESSION zstd)
        """,
        {"month": month},
    )
    con.execute(
        f"""
        COPY (
            SELECT a.ts::DATE AS day, upper(trim(coalesce(a.operator_id, ''))) AS op,
                   count(*) AS rows,
                   count(*) FILTER (WHERE c.ref IS NOT NULL) AS chri_rows,
                   count(*) FILTER (WHERE f.noncompliant) AS noncompliant_rows,
                   count(*) FILTER (WHERE f.lead) AS lead_rows
            FROM (SELECT DISTINCT ON (key) key, ts, operator_id
                  FROM read_parquet($files)) a
            LEFT JOIN ql_chri_keys c ON c.ref = a.key
            LEFT JOIN ql_key_flags f ON f.ref = a.key
            GROUP BY ALL
        ) TO '{_safe_path(stats)}' (FORMAT parquet, COMPRESSION zstd)
        """,
        {"files": month_files},
    )


def month_counts(
    con: Connection, month_files: list[str], stats: str
) -> tuple[int, int]:
    """(distinct archived rows of a month, rows its stats count): ``verify``
    checks that a month's results cover every row."""
    rows = con.execute(
        "SELECT count(DISTINCT key) FROM read_parquet($files)", {"files": month_files}
    ).fetchone()[0]
    counted = con.execute(
        "SELECT coalesce(sum(rows), 0) FROM read_parquet($stats)", {"stats": [stats]}
    ).fetchone()[0]
    return rows, counted


def rows_by_import(con: Connection, files: list[str]) -> dict[int, int]:
    """Archived rows per import id."""
    if not files:
        return {}
    return dict(
        con.execute(
            "SELECT import_id, count(*) FROM read_parquet($files) GROUP BY 1",
            {"files": files},
        ).fetchall()
    )


def keep_rows_from(con: Connection, files: list[str], day: Any, target: str) -> int:
    """Rewrite a month's rows without those before ``day``; returns rows kept."""
    return con.execute(
        f"""
        COPY (SELECT {ARCHIVE_COLUMNS} FROM read_parquet($files) WHERE ts::DATE >= $day)
        TO '{_safe_path(target)}' (FORMAT parquet, COMPRESSION zstd)
        """,
        {"files": files, "day": day},
    ).fetchone()[0]


def sample(
    con: Connection,
    files: list[str],
    rules: RuleSet,
    *,
    date_from: Any,
    date_to: Any,
    size: int,
    seed: str,
) -> list[tuple]:
    """A reproducible random sample of criminal-history inquiries: ordered by the
    MD5 of the seed and the row's key, which depends on nothing else (not on the
    number of threads, nor on the order of the files)."""
    if not files:
        return []
    return con.execute(
        f"""
        SELECT key, ts, operator_id, terminal, message_key FROM (
            SELECT DISTINCT ON (key) key, ts, operator_id, terminal, message_key
            FROM read_parquet($files)
            WHERE {_chri_test(rules)} AND ts::DATE BETWEEN $from AND $to
        ) ORDER BY md5($seed || ':' || key), key LIMIT $size
        """,
        {
            "files": files,
            "from": date_from,
            "to": date_to,
            "seed": seed,
            "size": size,
        },
    ).fetchall()


# -- Pages ---------------------------------------------------------------------------


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def overview(
    con: Connection, stats: list[str], findings: list[str], date_from: Any, date_to: Any
) -> dict[str, Any]:
    """Totals, trend by month, findings by rule and the operators with the most
    non-compliant inquiries, for the days ``date_from``..``date_to``."""
    empty = {"totals": {}, "trend": [], "by_rule": {}, "operators": []}
    if not stats:
        return empty
    period = {"files": stats, "from": date_from, "to": date_to}
    where = "FROM read_parquet($files) WHERE day BETWEEN $from AND $to"
    totals = _dicts(
        con.execute(
            "SELECT coalesce(sum(rows), 0) AS rows, coalesce(sum(chri_rows), 0) "
            "AS chri_rows, coalesce(sum(noncompliant_rows), 0) AS noncompliant_rows, "
            f"coalesce(sum(lead_rows), 0) AS lead_rows {where}",
            period,
        )
    )[0]
    trend = _dicts(
        con.execute(
            "SELECT strftime(day, '%Y-%m') AS month, sum(chri_rows) AS chri_rows, "
            f"sum(noncompliant_rows) AS noncompliant_rows {where} "
            "GROUP BY 1 ORDER BY 1",
            period,
        )
    )
    operators = _dicts(
        con.execute(
            "SELECT op, sum(chri_rows) AS chri_rows, sum(noncompliant_rows) AS "
            f"noncompliant_rows, sum(lead_rows) AS lead_rows {where} "
            "GROUP BY op HAVING sum(chri_rows) > 0 "
            "ORDER BY noncompliant_rows DESC, lead_rows DESC, op LIMIT 10",
            period,
        )
    )
    by_rule = {}
    if findings:
        by_rule = dict(
            con.execute(
                "SELECT rule, count(*) FROM read_parquet($files) "
                "WHERE ts::DATE BETWEEN $from AND $to GROUP BY rule",
                {**period, "files": findings},
            ).fetchall()
        )
    return {
        "totals": totals,
        "trend": trend,
        "by_rule": by_rule,
        "operators": operators,
    }


# What the findings list sorts by (ORDER BY takes no parameter: the order comes
# from this table, never from the request). Ties: newest first, then key and rule.
FINDING_ORDERS = {
    "ts": "ts",
    "operator_id": "upper(trim(coalesce(operator_id, '')))",
    "terminal": "upper(coalesce(terminal, ''))",
    "rule": "rule",
    "severity": "severity",
    "detail": "lower(detail)",
}


def _findings_where(
    files: list[str], date_from: Any, date_to: Any, rule: str, operator: str
) -> tuple[str, dict[str, Any]]:
    params = {
        "files": files,
        "from": date_from,
        "to": date_to,
        "rule": rule,
        "op": operator.upper(),
    }
    where = (
        "FROM read_parquet($files) WHERE ts::DATE BETWEEN $from AND $to "
        "AND ($rule = '' OR rule = $rule) "
        "AND ($op = '' OR upper(trim(operator_id)) = $op)"
    )
    return where, params


def _order_by(order: str, descending: bool) -> str:
    way = "DESC" if descending else "ASC"
    return f"ORDER BY {FINDING_ORDERS[order]} {way} NULLS LAST, ts DESC, key, rule"


_FINDING_COLUMNS = (
    "key, rule, severity, detail, ts, strftime(ts, '%Y-%m') AS month, "
    "operator_id, terminal"
)


def findings_page(
    con: Connection,
    files: list[str],
    *,
    date_from: Any,
    date_to: Any,
    rule: str = "",
    operator: str = "",
    limit: int = 50,
    offset: int = 0,
    order: str = "ts",
    descending: bool = True,
) -> tuple[int, list[dict[str, Any]]]:
    """One page of findings in the order asked for (``FINDING_ORDERS``; newest
    first by default), and how many there are in all."""
    if not files:
        return 0, []
    where, params = _findings_where(files, date_from, date_to, rule, operator)
    total = con.execute(f"SELECT count(*) {where}", params).fetchone()[0]
    rows = _dicts(
        con.execute(
            f"SELECT {_FINDING_COLUMNS} {where} {_order_by(order, descending)} "
            "LIMIT $limit OFFSET $offset",
            {**params, "limit": limit, "offset": offset},
        )
    )
    return total, rows


def findings_rows(
    con: Connection,
    files: list[str],
    *,
    date_from: Any,
    date_to: Any,
    rule: str = "",
    operator: str = "",
    order: str = "ts",
    descending: bool = True,
    subjects: list[str] | None = None,
    batch: int = 5000,
) -> Iterator[dict[str, Any]]:
    """Every finding of ``findings_page``'s filters, in its order, read in batches
    (a download of hundreds of thousands of rows is never held whole). With
    ``subjects`` (archive files), each row has the subject's name and date of
    birth of its archive row."""
    if not files:
        return
    where, params = _findings_where(files, date_from, date_to, rule, operator)
    source = f"SELECT {_FINDING_COLUMNS} {where}"
    if subjects:
        source = (
            f"SELECT f.*, a.subject_name, a.subject_dob FROM ({source}) f "
            "LEFT JOIN (SELECT DISTINCT ON (key) key, subject_name, subject_dob "
            "FROM read_parquet($archive)) a USING (key)"
        )
        params = {**params, "archive": subjects}
    cursor = con.execute(
        f"SELECT * FROM ({source}) {_order_by(order, descending)}", params
    )
    names = [d[0] for d in cursor.description]
    while chunk := cursor.fetchmany(batch):
        yield from (dict(zip(names, row, strict=True)) for row in chunk)


def archive_rows(con: Connection, files: list[str], keys: list[str]) -> dict[str, dict]:
    """The archived rows with these keys (one per key)."""
    if not files or not keys:
        return {}
    rows = _dicts(
        con.execute(
            f"SELECT DISTINCT ON (key) {ARCHIVE_COLUMNS} FROM read_parquet($files) "
            "WHERE key IN (SELECT unnest($keys))",
            {"files": files, "keys": keys},
        )
    )
    return {row["key"]: row for row in rows}


def row_findings(con: Connection, files: list[str], key: str) -> list[dict[str, Any]]:
    if not files:
        return []
    return _dicts(
        con.execute(
            "SELECT rule, severity, detail FROM read_parquet($files) WHERE key = $key "
            "ORDER BY rule",
            {"files": files, "key": key},
        )
    )


# One lead per rule and operator, or per subject for REPEAT_SUBJECT.
_LEAD_WHO = (
    "CASE WHEN rule = 'REPEAT_SUBJECT' THEN subject "
    "ELSE upper(trim(coalesce(operator_id, ''))) END"
)


def leads(
    con: Connection,
    files: list[str],
    date_from: Any,
    date_to: Any,
    subjects: list[str] | None = None,
) -> list[dict[str, Any]]:
    """The leads of the days ``date_from``..``date_to``, latest first. With
    ``subjects`` (archive files), each lead lists the distinct subjects (name and
    date of birth) of its inquiries, for a download that asks for them."""
    if not files:
        return []
    extra, join, params = "", "", {"files": files, "from": date_from, "to": date_to}
    if subjects:
        extra = (
            ", string_agg(DISTINCT trim(coalesce(a.subject_name, '') || ' ' || "
            "coalesce(a.subject_dob, '')), '; ') AS subjects"
        )
        join = (
            "LEFT JOIN (SELECT DISTINCT ON (key) key, subject_name, subject_dob "
            "FROM read_parquet($archive)) a USING (key)"
        )
        params["archive"] = subjects
    return _dicts(
        con.execute(
            f"""
            SELECT md5(rule || '|' || {_LEAD_WHO}) AS key, rule,
                   CASE WHEN rule = 'REPEAT_SUBJECT' THEN ''
                        ELSE any_value(operator_id) END AS operator_id,
                   count(DISTINCT key) AS inquiries,
                   count(DISTINCT upper(trim(operator_id))) AS operators,
                   min(ts) AS first_ts, max(ts) AS last_ts, any_value(detail) AS detail
                   {extra}
            FROM read_parquet($files) {join}
            WHERE severity = 'lead' AND ts::DATE BETWEEN $from AND $to
            GROUP BY rule, {_LEAD_WHO} ORDER BY last_ts DESC
            """,
            params,
        )
    )


def lead_findings(con: Connection, files: list[str], lead: str) -> list[dict[str, Any]]:
    if not files:
        return []
    return _dicts(
        con.execute(
            f"""
            SELECT key, rule, detail, ts, strftime(ts, '%Y-%m') AS month,
                   operator_id, terminal
            FROM read_parquet($files)
            WHERE severity = 'lead' AND md5(rule || '|' || {_LEAD_WHO}) = $lead
            ORDER BY ts
            """,
            {"files": files, "lead": lead},
        )
    )
