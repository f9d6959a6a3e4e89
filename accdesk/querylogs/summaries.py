"""The small tables the query-log pages read (issue 18): written whenever a result
set's months are (import, reaudit, purge), so that the overview, the leads and the
first pages of findings are indexed database reads instead of scans of the
encrypted archive.

Per result set and month: findings per rule (``MonthRuleCount``), rows per operator
(``MonthOperatorCount``, the overview's totals, trend and top operators), each
lead's part (``LeadSummary``), the first ``QUERYLOG_SUMMARY_FINDINGS`` findings in
the page's default order with their row references (``FindingHead``), and the
coverage gaps (``CoverageGap``, the COVERAGE_GAP rule). Tests check every table
against a fresh count of the result files.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from contextlib import closing
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum

from accdesk.agency.models import Agency
from accdesk.querylogs import duck, readers, storage
from accdesk.querylogs.models import (
    CoverageGap,
    FindingHead,
    LeadSummary,
    MonthOperatorCount,
    MonthRuleCount,
)
from accdesk.querylogs.rules import from_snapshot

if TYPE_CHECKING:
    from accdesk.querylogs.models import ResultSet

TABLES = (MonthRuleCount, MonthOperatorCount, LeadSummary, FindingHead, CoverageGap)
# Terminals that make inquiries: printers and interfaces only pass messages on
# (ACC Desk's choice, docs/querylog-rules.md).
QUERYING_TERMINALS = ("workstation", "mdc")


def clear(result_set: ResultSet) -> None:
    for table in TABLES:
        table.objects.filter(result_set=result_set).delete()


def _files(agency: Agency, folder: str, kind: str, month: str) -> list[str]:
    path = storage.folder(agency, folder) / f"{storage.MONTH_PREFIX}{month}"
    path = path / f"{kind}.parquet"
    if not path.is_file():
        return []
    fs = storage.vault()
    return [fs.url(str(path.relative_to(fs.root)))]


def refresh(agency: Agency, result_set: ResultSet, months: Iterable[str]) -> None:
    """Rewrite the summaries of ``months`` from the set's result files, and drop
    those of months the archive no longer holds (a purge)."""
    present = storage.months(agency)
    scope = sorted(set(months) & set(present))
    rules = from_snapshot(result_set.version.rules)
    rows: dict[type, list[Any]] = {table: [] for table in TABLES}
    with closing(readers.connect(agency)) as con:
        for month in scope:
            _month(con, agency, result_set, month, rows)
            if rules.enabled("COVERAGE_GAP"):
                rows[CoverageGap] += _gaps(con, agency, result_set, month)
    with transaction.atomic():
        for table in TABLES:
            stale = table.objects.filter(result_set=result_set)
            stale.filter(month__in=scope).delete()
            stale.exclude(month__in=present).delete()
        CoverageGap.objects.filter(
            result_set=result_set, kind=CoverageGap.Kind.MONTH
        ).delete()
        if rules.enabled("COVERAGE_GAP"):
            rows[CoverageGap] += _missing_months(result_set, present)
        for table, objs in rows.items():
            table.objects.bulk_create(objs, batch_size=1000)


def _month(
    con: duck.Connection,
    agency: Agency,
    result_set: ResultSet,
    month: str,
    rows: dict[type, list[Any]],
) -> None:
    findings = _files(agency, result_set.folder, "findings", month)
    stats = _files(agency, result_set.folder, "stats", month)
    base = {"result_set": result_set, "month": month}
    if stats:
        for op, *counts in con.execute(
            "SELECT op, sum(rows), sum(chri_rows), sum(noncompliant_rows), "
            "sum(lead_rows) FROM read_parquet($f) GROUP BY op ORDER BY op",
            {"f": stats},
        ).fetchall():
            rows[MonthOperatorCount].append(
                MonthOperatorCount(
                    **base,
                    op=op,
                    rows=counts[0],
                    chri_rows=counts[1],
                    noncompliant_rows=counts[2],
                    lead_rows=counts[3],
                )
            )
    if not findings:
        return
    params = {"f": findings}
    for rule, count in con.execute(
        "SELECT rule, count(*) FROM read_parquet($f) GROUP BY rule ORDER BY rule",
        params,
    ).fetchall():
        rows[MonthRuleCount].append(MonthRuleCount(**base, rule=rule, findings=count))
    for lead in con.execute(
        f"""
        SELECT md5(rule || '|' || {duck._LEAD_WHO}) AS key, rule,
               CASE WHEN rule = 'REPEAT_SUBJECT' THEN ''
                    ELSE min(operator_id) END AS operator_id,
               count(DISTINCT key) AS inquiries,
               list(DISTINCT upper(trim(operator_id)) ORDER BY
                    upper(trim(operator_id))) FILTER (WHERE operator_id IS NOT NULL),
               min(ts), max(ts), min(detail)
        FROM read_parquet($f) WHERE severity = 'lead'
        GROUP BY rule, {duck._LEAD_WHO}
        """,
        params,
    ).fetchall():
        key, rule, op, inquiries, operators, first, last, detail = lead
        rows[LeadSummary].append(
            LeadSummary(
                **base,
                key=key,
                rule=rule,
                operator_id=op or "",
                inquiries=inquiries,
                operators=operators or [],
                first_ts=first,
                last_ts=last,
                detail=detail or "",
            )
        )
    head = con.execute(
        "SELECT key, rule, severity, detail, ts, operator_id, terminal "
        "FROM read_parquet($f) ORDER BY ts DESC, key, rule LIMIT $n",
        {**params, "n": settings.QUERYLOG_SUMMARY_FINDINGS},
    ).fetchall()
    for position, (key, rule, severity, detail, ts, op, terminal) in enumerate(head):
        rows[FindingHead].append(
            FindingHead(
                **base,
                position=position,
                key=key,
                rule=rule,
                severity=severity,
                detail=detail or "",
                ts=ts,
                operator_id=op or "",
                terminal=terminal or "",
            )
        )


# -- COVERAGE_GAP ----------------------------------------------------------------------


def _month_days(month: str, until: dt.date) -> list[dt.date]:
    year, number = (int(part) for part in month.split("-"))
    last = calendar.monthrange(year, number)[1]
    days = [dt.date(year, number, d) for d in range(1, last + 1)]
    return [d for d in days if d <= until]


def _gaps(
    con: duck.Connection,
    agency: Agency,
    result_set: ResultSet,
    month: str,
) -> list[CoverageGap]:
    """The days of ``month`` (up to today) without a row of the agency's ORIs
    (``Agency.all_oris``; or of no ORI: a log without the column is the
    agency's), and the inventory's querying terminals in service in the month
    without a row."""
    from accdesk.terminals.models import Terminal

    files = storage.archive_files(agency, [month])
    if not files:
        return []
    days = {
        d
        for (d,) in con.execute(
            "SELECT DISTINCT ts::DATE FROM read_parquet($f) "
            "WHERE list_contains($oris, upper(trim(coalesce(ori, ''))))",
            {"f": files, "oris": ["", *agency.all_oris()]},
        ).fetchall()
    }
    seen = {
        t
        for (t,) in con.execute(
            "SELECT DISTINCT upper(trim(terminal)) FROM read_parquet($f) "
            "WHERE terminal IS NOT NULL",
            {"f": files},
        ).fetchall()
    }
    first = dt.date.fromisoformat(f"{month}-01")
    base = {"result_set": result_set, "month": month}
    gaps = [
        CoverageGap(**base, kind=CoverageGap.Kind.DAY, day=day)
        for day in _month_days(month, agency.today())
        if day not in days
    ]
    # A terminal retired before the month began was not expected to query in it.
    terminals = Terminal.objects.filter(
        agency=agency, terminal_type__in=QUERYING_TERMINALS
    ).exclude(retired_date__lt=first)
    gaps += [
        CoverageGap(**base, kind=CoverageGap.Kind.TERMINAL, terminal=t.terminal)
        for t in terminals.order_by("terminal")
        if t.terminal.upper() not in seen
    ]
    return gaps


def _missing_months(result_set: ResultSet, present: list[str]) -> list[CoverageGap]:
    """Months between the archive's first and last with no rows at all."""
    if not present:
        return []
    found, cursor = [], dt.date.fromisoformat(f"{present[0]}-01")
    last = dt.date.fromisoformat(f"{present[-1]}-01")
    while cursor <= last:
        month = cursor.strftime("%Y-%m")
        if month not in present:
            found.append(
                CoverageGap(
                    result_set=result_set, month=month, kind=CoverageGap.Kind.MONTH
                )
            )
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return found


def gap_places(result_set: ResultSet) -> set[tuple[str, str, Any, str]]:
    return set(
        CoverageGap.objects.filter(result_set=result_set).values_list(
            "month", "kind", "day", "terminal"
        )
    )


def gaps(result_set: ResultSet, start: dt.date, end: dt.date) -> list[CoverageGap]:
    """The coverage gaps of the days ``start``..``end``."""
    months = _months(start, end)
    return [
        gap
        for gap in CoverageGap.objects.filter(result_set=result_set, month__in=months)
        if gap.day is None or start <= gap.day <= end
    ]


# -- Reading ---------------------------------------------------------------------------


def _months(start: dt.date, end: dt.date) -> list[str]:
    out, cursor = [], start.replace(day=1)
    while cursor <= end:
        out.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return out


def whole_months(start: dt.date, end: dt.date) -> list[str] | None:
    """The months of the period when it is made of whole months, else None (the
    summaries count months, not days: the pages then read the result files)."""
    after = end + dt.timedelta(days=1)
    if start.day != 1 or after.day != 1 or end < start:
        return None
    return _months(start, end)


def overview(result_set: ResultSet, months: list[str]) -> dict[str, Any]:
    """``duck.overview``'s answer for whole months, from the summaries."""
    counts = MonthOperatorCount.objects.filter(result_set=result_set, month__in=months)
    sums = ("rows", "chri_rows", "noncompliant_rows", "lead_rows")
    totals = counts.aggregate(**{name: Sum(name) for name in sums})
    trend = list(
        counts.values("month")
        .annotate(
            chri_rows=Sum("chri_rows"), noncompliant_rows=Sum("noncompliant_rows")
        )
        .order_by("month")
    )
    operators = list(
        counts.values("op")
        .annotate(
            chri_rows=Sum("chri_rows"),
            noncompliant_rows=Sum("noncompliant_rows"),
            lead_rows=Sum("lead_rows"),
        )
        .filter(chri_rows__gt=0)
        .order_by("-noncompliant_rows", "-lead_rows", "op")[:10]
    )
    by_rule: dict[str, int] = {}
    for rule, count in MonthRuleCount.objects.filter(
        result_set=result_set, month__in=months
    ).values_list("rule", "findings"):
        by_rule[rule] = by_rule.get(rule, 0) + count
    if not trend:
        return {"totals": {}, "trend": [], "by_rule": {}, "operators": []}
    return {
        "totals": {name: totals[name] or 0 for name in sums},
        "trend": trend,
        "by_rule": by_rule,
        "operators": operators,
    }


def findings_page(
    result_set: ResultSet, months: list[str], limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]] | None:
    """One page of all findings of whole ``months`` in the default order (newest
    first), when the stored heads hold it; None when they do not (a page too far
    in: the caller reads the result files)."""
    per_month = dict.fromkeys(sorted(months, reverse=True), 0)
    for month, count in MonthRuleCount.objects.filter(
        result_set=result_set, month__in=months
    ).values_list("month", "findings"):
        per_month[month] += count
    total = sum(per_month.values())
    heads = dict(
        FindingHead.objects.filter(result_set=result_set, month__in=months)
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    wanted: list[tuple[str, int, int]] = []  # month, first position, last + 1
    start, stop, cursor = offset, min(offset + limit, total), 0
    for month, count in per_month.items():
        low, high = max(start, cursor), min(stop, cursor + count)
        if low < high:
            if high - cursor > heads.get(month, 0):
                return None
            wanted.append((month, low - cursor, high - cursor))
        cursor += count
    rows = []
    for month, low, high in wanted:
        rows += [
            {**row, "month": month}
            for row in FindingHead.objects.filter(
                result_set=result_set, month=month, position__gte=low, position__lt=high
            )
            .order_by("position")
            .values(
                "key", "rule", "severity", "detail", "ts", "operator_id", "terminal"
            )
        ]
    return total, rows


def leads(result_set: ResultSet, months: list[str]) -> list[dict[str, Any]]:
    """``duck.leads``'s answer for whole ``months``: each lead's parts added up."""
    found: dict[str, dict[str, Any]] = {}
    for part in LeadSummary.objects.filter(
        result_set=result_set, month__in=months
    ).order_by("month"):
        lead = found.get(part.key)
        if lead is None:
            found[part.key] = {
                "key": part.key,
                "rule": part.rule,
                "operator_id": part.operator_id,
                "inquiries": part.inquiries,
                "ops": set(part.operators),
                "first_ts": part.first_ts,
                "last_ts": part.last_ts,
                "detail": part.detail,
            }
            continue
        lead["inquiries"] += part.inquiries
        lead["ops"] |= set(part.operators)
        lead["first_ts"] = min(lead["first_ts"], part.first_ts)
        lead["last_ts"] = max(lead["last_ts"], part.last_ts)
    result = []
    for lead in found.values():
        lead["operators"] = len(lead.pop("ops"))
        result.append(lead)
    return sorted(result, key=lambda lead: lead["last_ts"], reverse=True)
