"""Versioned rule sets: rules that do not change under the auditor's feet (issue 17
§2).

Every change of an agency's audit rules -- its vocabularies and thresholds on the
Rules page, and every rules level shipped with ACC Desk (``rules.SHIPPED``) --
becomes a dated ``RuleSetVersion`` with who made it and why. The stored results
(``ResultSet``) record the version they were computed with, and the pages read the
*current* set only. ``reaudit`` computes the archive under the newest version into
a new, candidate set beside the current one and says what would change,
``{"version", "previous_version", "by_rule": {RULE: {"gained", "lost"}}}``; only
adopting it (``--adopt VERSION`` or the Rules page's button) makes it current.
Findings already in an audit set or a case are recorded there
(``AuditSample.findings``, ``Lead.findings``) and never change with the results.

An import computes its months under the current version; it makes a candidate
stale (the archive changed under it), so the candidate is discarded and
``reaudit`` must run again.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterable
from contextlib import closing
from typing import Any

from django.db import transaction
from django.utils import timezone

from accdesk.agency.models import Agency
from accdesk.core.actor import current_actor
from accdesk.querylogs import readers, storage, summaries
from accdesk.querylogs.models import (
    ResultSet,
    RuleSetVersion,
    rules_for,
)
from accdesk.querylogs.results import recompute
from accdesk.querylogs.rules import RULES, SHIPPED, RuleSet, from_snapshot, snapshot

SHIPPED_BY = "ACC Desk"
CANDIDATE = "results.candidate"
RETIRED = "results.retired"


class RuleSetError(Exception):
    """A version that cannot be adopted."""


# -- Versions --------------------------------------------------------------------------


def newest_version(agency: Agency) -> RuleSetVersion | None:
    return RuleSetVersion.objects.filter(agency=agency).order_by("-number").first()


def current_set(agency: Agency) -> ResultSet:
    """The agency's current result set, created with version 1 on first use.

    Version 1 is the rules in force when versions begin. An agency that already
    imported logs has results on disk computed before rule levels existed, that is, with
    level 1: its version 1 says so, and ``ensure_version`` then proposes the newer
    shipped level as version 2 for the ACC to review and adopt."""
    found = (
        ResultSet.objects.filter(agency=agency, status=ResultSet.Status.CURRENT)
        .select_related("version")
        .first()
    )
    if found:
        return found
    with transaction.atomic():
        rules = rules_for(agency)
        results = storage.folder(agency, "results")
        if results.is_dir() and any(results.glob(f"{storage.MONTH_PREFIX}*")):
            rules = dataclasses.replace(rules, level=1)
        version = RuleSetVersion.objects.create(
            agency=agency,
            number=1,
            created_by=SHIPPED_BY,
            reason="The rules in force when rule-set versions began.",
            rules=snapshot(rules),
            adopted_at=timezone.now(),
            adopted_by=SHIPPED_BY,
        )
        return ResultSet.objects.create(
            agency=agency,
            version=version,
            status=ResultSet.Status.CURRENT,
            computed_by=SHIPPED_BY,
        )


def current_version(agency: Agency) -> RuleSetVersion:
    return current_set(agency).version


def current_rules(agency: Agency) -> RuleSet:
    """The rules the agency's stored results are computed with: its adopted
    version (imports, ``audit --agency``)."""
    return from_snapshot(current_version(agency).rules)


def ensure_version(agency: Agency, why: str = "") -> RuleSetVersion:
    """The newest version, after recording the agency's settings as a new version
    when they differ from it (a change on the Rules page, with its ``why``; a new
    rules level or vocabulary shipped with ACC Desk; a change made elsewhere)."""
    current_set(agency)
    newest = newest_version(agency)
    assert newest is not None
    rules = rules_for(agency)
    wanted = snapshot(rules)
    if wanted == newest.rules:
        return newest
    before = from_snapshot(newest.rules)
    if not why:
        if before.level < rules.level:
            new_levels = range(before.level + 1, rules.level + 1)
            why = "New rules shipped with ACC Desk: " + "; ".join(
                SHIPPED[level] for level in new_levels if level in SHIPPED
            )
        else:
            why = "The rule settings changed outside the Rules page."
    shipped = why.startswith("New rules shipped")
    return RuleSetVersion.objects.create(
        agency=agency,
        number=newest.number + 1,
        created_by=SHIPPED_BY if shipped else current_actor().label,
        reason=why,
        rules=wanted,
    )


def changed_settings(older: RuleSetVersion | None, newer: RuleSetVersion) -> list[str]:
    """The names of the settings ``newer`` changed."""
    if older is None:
        return []
    return sorted(
        name
        for name in newer.rules.keys() | older.rules.keys()
        if newer.rules.get(name) != older.rules.get(name)
    )


# -- Reaudit and adoption --------------------------------------------------------------


def results_changed(agency: Agency, months: list[str]) -> None:
    """After an import or a purge rewrote ``months`` of the current set: its
    summaries follow, and a candidate computed before is stale."""
    discard_candidate(agency)
    summaries.refresh(agency, current_set(agency), months)


def discard_candidate(agency: Agency) -> None:
    """Drop a candidate set the archive changed under (an import, a purge)."""
    shutil.rmtree(storage.folder(agency, CANDIDATE), ignore_errors=True)
    for stale in ResultSet.objects.filter(
        agency=agency, status=ResultSet.Status.CANDIDATE
    ):
        summaries.clear(stale)
        stale.status = ResultSet.Status.DISCARDED
        stale.save(update_fields=["status"])


def reaudit(agency: Agency, adopt: int | None = None) -> tuple[dict[str, Any], int]:
    """Compute the whole archive under the newest version into a new candidate
    set; adopt it when ``adopt`` names that version. Returns the changes (the
    contract of ``querylog reaudit --json``) and the number of months computed."""
    with storage.locked(agency):
        newest = ensure_version(agency)
        if adopt is not None and adopt != newest.number:
            raise RuleSetError(
                f"Version {adopt} is not the newest rule-set version: reaudit "
                f"computes version {newest.number}; adopt that one after reviewing "
                "what it changes."
            )
        current = current_set(agency)
        discard_candidate(agency)
        candidate = ResultSet.objects.create(
            agency=agency,
            version=newest,
            status=ResultSet.Status.CANDIDATE,
            computed_by=current_actor().label,
        )
        try:
            done = recompute(
                agency,
                storage.months(agency),
                rules=from_snapshot(newest.rules),
                folder=CANDIDATE,
            )
            summaries.refresh(agency, candidate, storage.months(agency))
        except Exception:
            discard_candidate(agency)
            raise
        candidate.changes = changes(agency, current, candidate)
        candidate.save(update_fields=["changes"])
        result = {
            "version": newest.number,
            "previous_version": current.version.number,
            "by_rule": candidate.changes,
        }
        if adopt is not None:
            _adopt(agency, candidate)
        return result, len(done)


def adopt_candidate(agency: Agency, number: int) -> ResultSet:
    """Make the candidate set of version ``number`` current (the Rules page)."""
    with storage.locked(agency):
        candidate = ResultSet.objects.filter(
            agency=agency, status=ResultSet.Status.CANDIDATE, version__number=number
        ).first()
        if candidate is None:
            raise RuleSetError(
                f"No re-audit of version {number} is waiting: run the re-audit "
                "again (an import since then made it stale)."
            )
        newest = newest_version(agency)
        if newest is not None and newest.number != number:
            raise RuleSetError(
                f"The rules changed since: version {newest.number} is newer. Run "
                "the re-audit again."
            )
        _adopt(agency, candidate)
        return candidate


def _adopt(agency: Agency, candidate: ResultSet) -> None:
    results = storage.folder(agency, "results")
    staged = storage.folder(agency, CANDIDATE)
    retired = storage.folder(agency, RETIRED)
    shutil.rmtree(retired, ignore_errors=True)
    with transaction.atomic():
        old = ResultSet.objects.filter(
            agency=agency, status=ResultSet.Status.CURRENT
        ).first()
        if old is not None:
            summaries.clear(old)
            old.status = ResultSet.Status.RETIRED
            old.save(update_fields=["status"])
        candidate.status = ResultSet.Status.CURRENT
        candidate.save(update_fields=["status"])
        version = candidate.version
        version.adopted_at = timezone.now()
        version.adopted_by = current_actor().label
        version.save(update_fields=["adopted_at", "adopted_by"])
        # Two renames under the agency's lock: a page read between them finds no
        # results for a moment rather than a mix of two versions.
        old_files = sorted(results.glob(f"{storage.MONTH_PREFIX}*/*.parquet"))
        if results.exists():
            results.rename(retired)
        if staged.exists():
            staged.rename(results)
        # The archive's manifest (``querylog verify``) records the adopted files.
        new_files = sorted(results.glob(f"{storage.MONTH_PREFIX}*/*.parquet"))
        storage.update_manifest(
            agency, new_files, [p for p in old_files if p not in set(new_files)]
        )
    shutil.rmtree(retired, ignore_errors=True)


def changes(
    agency: Agency, old: ResultSet, new: ResultSet
) -> dict[str, dict[str, int]]:
    """``{RULE: {"gained", "lost"}}``: findings (row, rule) of ``new`` that ``old``
    does not have and the reverse, for every rule; coverage gaps by their place."""
    old_files = _findings_files(agency, old.folder)
    new_files = _findings_files(agency, new.folder)
    counts: dict[str, dict[str, int]] = {
        name: {"gained": 0, "lost": 0} for name in RULES
    }
    with closing(readers.connect(agency)) as con:
        for rule, gained, lost in _diff(con, old_files, new_files):
            counts.setdefault(rule, {"gained": 0, "lost": 0})
            counts[rule] = {"gained": int(gained), "lost": int(lost)}
    gaps_old, gaps_new = summaries.gap_places(old), summaries.gap_places(new)
    counts["COVERAGE_GAP"] = {
        "gained": len(gaps_new - gaps_old),
        "lost": len(gaps_old - gaps_new),
    }
    return counts


def _findings_files(agency: Agency, folder: str) -> list[str]:
    fs = storage.vault()
    root = storage.folder(agency, folder)
    return [
        fs.url(str(p.relative_to(fs.root)))
        for p in sorted(root.glob(f"{storage.MONTH_PREFIX}*/findings.parquet"))
    ]


def _diff(con: Any, old: list[str], new: list[str]) -> list[tuple[str, int, int]]:
    empty = "SELECT NULL::VARCHAR AS key, NULL::VARCHAR AS rule WHERE false"

    def source(name: str, files: list[str]) -> str:
        if not files:
            return empty
        return f"SELECT DISTINCT key, rule FROM read_parquet(${name})"

    params = {name: files for name, files in (("old", old), ("new", new)) if files}
    return con.execute(
        f"""
        SELECT coalesce(n.rule, o.rule) AS rule,
               count(*) FILTER (WHERE o.key IS NULL) AS gained,
               count(*) FILTER (WHERE n.key IS NULL) AS lost
        FROM ({source("old", old)}) o
        FULL OUTER JOIN ({source("new", new)}) n ON o.key = n.key AND o.rule = n.rule
        GROUP BY 1 ORDER BY 1
        """,
        params,
    ).fetchall()


# -- What audit sets and cases record --------------------------------------------------


def findings_of_rows(
    agency: Agency, wanted: Iterable[tuple[str, str]]
) -> dict[str, list[list[str]]]:
    """``{key: [[rule, severity, detail], ...]}`` in the current results for the
    rows ``[(month, key)]``."""
    wanted = list(wanted)
    present = set(storage.months(agency))
    months = sorted({m for m, _ in wanted} & present)
    files = storage.result_files(agency, "findings", months)
    if not files:
        return {}
    with closing(readers.connect(agency)) as con:
        rows = con.execute(
            "SELECT key, rule, severity, detail FROM read_parquet($files) "
            "WHERE key IN (SELECT unnest($keys)) ORDER BY key, rule",
            {"files": files, "keys": [k for _, k in wanted]},
        ).fetchall()
    found: dict[str, list[list[str]]] = {}
    for key, rule, severity, detail in rows:
        found.setdefault(key, []).append([rule, severity, detail])
    return found


def lead_record(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A lead's findings as its record keeps them (``Lead.findings``)."""
    return [
        {
            "key": f["key"],
            "month": f["month"],
            "rule": f["rule"],
            "detail": f["detail"],
            "ts": f["ts"].isoformat(),
            "operator_id": f["operator_id"] or "",
            "terminal": f["terminal"] or "",
        }
        for f in found
    ]
