"""The agency's query-log archive: importing a log into it, crash-safe; recovery
and ``verify``; retention; audit sets.

Where its files live -- one folder per month under ``DATA_DIR``, the results of each
month beside it, the lock, the manifest -- is ``storage.py``'s. Importing runs the
audit of the file and then recomputes the results of the months it touched and of
the months within the REPEAT_SUBJECT window of them (``results.py``), under the
agency's adopted rule-set version (``ruleset.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import transaction

from accdesk.agency.models import Agency
from accdesk.core.actor import current_actor
from accdesk.core.audit import record_changes, record_event
from accdesk.querylogs import duck, reader, ruleset, storage
from accdesk.querylogs.audit import Archived, AuditResult, audit_file, audit_layout
from accdesk.querylogs.logfile import LogLayout
from accdesk.querylogs.models import AuditSample, AuditSet, LogImport
from accdesk.querylogs.people import people_of
from accdesk.querylogs.results import recompute
from accdesk.querylogs.storage import MANIFEST, MONTH_PREFIX, STAGING

SKIPPED_KEPT = 100_000  # [row, reason] of skipped rows kept for the download


# -- Import ------------------------------------------------------------------------


def archived(agency: Agency) -> Archived:
    """What an audit of one of the agency's files needs of its archive."""
    return Archived(storage.vault(), storage.archive_files(agency), agency.all_oris())


def audit_for(agency: Agency, path: Path, **kwargs: object) -> AuditResult:
    """``accdesk querylog audit --agency``: the agency's rules, roster, ORIs and
    archive; nothing is stored."""
    return audit_file(
        path,
        rules=ruleset.current_rules(agency),
        tz=agency.time_zone,
        people=people_of(agency),
        archived=archived(agency),
        agency=agency,
        **kwargs,  # type: ignore[arg-type]
    )


def import_log(
    agency: Agency,
    path: Path,
    filename: str,
    column_map: dict[str, str] | None = None,
    *,
    skip_bad_rows: bool = False,
    exact: bool = False,
) -> LogImport:
    """Audit the file (with the agency's roster and archive), store its new rows in
    the archive and recompute the results of the months it touched.

    All or nothing (issue 10): a row of another ORI refuses the file whatever
    ``skip_bad_rows`` says; an unreadable row refuses it unless ``skip_bad_rows``,
    which stores the other rows and records how many were skipped. The file is
    expanded and converted to UTF-8 (within the gzip and size limits) before the
    archive lock is taken (issue 11). ``exact`` forces the exact read path
    (``reader.py``; the test that both paths archive the same rows uses it)."""
    with reader.scratch() as tmp:
        layout = reader.prepare(path, tmp, column_map)
        sha256 = storage.sha256_of(path)
        with storage.locked(agency):
            return _import_log(
                agency, layout, tmp, filename, sha256, skip_bad_rows, exact
            )


def _import_log(
    agency: Agency,
    layout: LogLayout,
    tmp: Path,
    filename: str,
    sha256: str,
    skip_bad_rows: bool,
    exact: bool,
) -> LogImport:
    """Crash-safe (issue 11): the new rows and the results they change are written
    to the import's own staging folder (``.import-<id>/``, which no reader looks
    in), then ``commit.json`` is written in one rename -- the moment the import
    happens -- and the files are moved into place. After a SIGKILL at any moment,
    ``recover`` (run by the next import, and by ``verify --repair``) either rolls
    a committed import forward or removes an uncommitted one: the archive holds
    all of a file's new rows with their results, or none of them."""
    recover(agency)
    started = time.monotonic()
    log = LogImport.objects.create(
        agency=agency,
        filename=Path(filename).name[:255],
        sha256=sha256,
        imported_by=current_actor().label,
        complete=False,
    )
    stage = storage.root(agency) / f"{STAGE_PREFIX}{log.pk}"
    rows: list[Path] = []

    def number(con: duck.Connection, layout: LogLayout, load: duck.FileLoad) -> None:
        rows.append(reader.numbered_rows(con, layout, load, tmp))

    try:
        result = audit_layout(
            layout,
            tmp,
            rules=ruleset.current_rules(agency),
            tz=agency.time_zone,
            people=people_of(agency),
            archived=archived(agency),
            agency=agency,
            then=number,
            strict=not skip_bad_rows,
            exact=exact,
        )
        stage.mkdir(mode=0o700)
        # A connection of its own, opened once the audit's is closed: with the
        # audit's tables still held, the archive's writing had too little of
        # DuckDB's memory limit left and spilled (at 10 M rows: twice as long).
        with closing(storage.connect(agency)) as con:
            log.new_rows, written = duck.archive_file(
                con,
                rows[0],
                import_id=log.pk,
                existing=storage.archive_files(agency),
                target=storage.vault().url(f"{agency.ori}/{stage.name}/archive"),
            )
        touched = sorted({_month_of(f) for f in written})
        recompute(agency, touched, stage=stage, rules=ruleset.current_rules(agency))
        fields = _fields(log, result, touched, time.monotonic() - started)
        storage.write_json(stage / COMMIT, {"import": log.pk, "log": fields})
    except BaseException:
        # Not committed: leave nothing behind, neither files nor the record.
        shutil.rmtree(stage, ignore_errors=True)
        log.delete()
        raise
    _roll_forward(agency, stage)
    log.refresh_from_db()
    return log


def _month_of(url: str) -> str:
    part = next(p for p in url.split("/") if p.startswith(MONTH_PREFIX))
    return part.removeprefix(MONTH_PREFIX)


def _fields(
    log: LogImport, result: AuditResult, touched: list[str], secs: float
) -> dict[str, object]:
    return {
        "new_rows": log.new_rows,
        "rows": result.rows,
        "chri_rows": result.chri_rows,
        "skipped_rows": len(result.skipped),
        "skipped": [list(s) for s in result.skipped[:SKIPPED_KEPT]],
        "rows_with_findings": result.rows_with_findings,
        "by_rule": result.by_rule,
        "months": touched,
        "seconds": round(secs, 2),
        "complete": True,
    }


# -- Commit and recovery -----------------------------------------------------------

STAGE_PREFIX = ".import-"
COMMIT = "commit.json"


def _roll_forward(agency: Agency, stage: Path) -> None:
    """Move a committed import's files into place and complete its record. Each
    step can be repeated: a kill part-way is finished by the next run."""
    commit = json.loads((stage / COMMIT).read_text())
    root = storage.root(agency)
    moved = []
    for staged in sorted(stage.glob(f"*/{MONTH_PREFIX}*/*.parquet")):
        final = root / staged.relative_to(stage)
        final.parent.mkdir(parents=True, exist_ok=True)
        staged.replace(final)
        moved.append(final)
    # Files moved by a run that was killed before the manifest was written are
    # in place already: hash whatever the manifest does not match yet.
    known = storage.read_manifest(agency)
    stale = [
        p for p in storage.stored_files(agency) if str(p.relative_to(root)) not in known
    ]
    storage.update_manifest(agency, sorted(set(moved) | set(stale)))
    LogImport.objects.filter(pk=commit["import"], agency=agency).update(**commit["log"])
    shutil.rmtree(stage)
    # The current set's summaries follow the results moved in (ruleset.py).
    results = {
        _month_of(str(p)) for p in moved if p.relative_to(root).parts[0] == "results"
    }
    ruleset.results_changed(agency, sorted(results))


def leftovers(agency: Agency) -> list[Path]:
    """What an interrupted import or recompute leaves behind: staging folders and
    ``.part`` files."""
    root = storage.root(agency)
    if not root.is_dir():
        return []
    found = sorted(root.glob(f"{STAGE_PREFIX}*"))
    found += sorted(p for p in (root / "results").glob(STAGING))
    found += sorted(
        p
        for p in root.rglob("*.part")
        if not any(parent in found for parent in p.parents)
    )
    return found


def recover(agency: Agency) -> list[str]:
    """Finish or undo interrupted imports (call it holding ``storage.locked(agency)``):
    a committed one is rolled forward, an uncommitted one removed with its
    record. Returns what was done, one line each."""
    done = []
    for stage in sorted(storage.root(agency).glob(f"{STAGE_PREFIX}*")):
        pk = stage.name.removeprefix(STAGE_PREFIX)
        if (stage / COMMIT).is_file():
            _roll_forward(agency, stage)
            done.append(f"import #{pk} completed (it was committed when interrupted)")
        else:
            shutil.rmtree(stage)
            done.append(f"import #{pk} undone (it was interrupted before its commit)")
    for path in leftovers(agency):  # .part files, a recompute's staging
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        done.append(f"removed {path.relative_to(storage.root(agency))}")
    # An archive written before checksums were kept: its files as they are now
    # become the record (once; from then on every change is recorded).
    root = storage.root(agency)
    if not (root / MANIFEST).is_file() and (files := storage.stored_files(agency)):
        storage.update_manifest(agency, files)
        done.append(f"manifest created for the {len(files)} files already archived")
    # A record created by an import killed before its staging folder existed.
    stray = LogImport.objects.filter(agency=agency, complete=False)
    for pk in stray.values_list("pk", flat=True):
        done.append(f"import record #{pk} of an interrupted import removed")
    stray.delete()
    return done


def verify(agency: Agency) -> list[str]:
    """Every problem of the agency's archive, one sentence each (none: sound):
    leftovers of an interrupted import, files that differ from the manifest,
    months without results, results that do not count the month's rows, import
    records without their rows."""
    root = storage.root(agency)
    problems = [
        f"{p.relative_to(root)} is left by an interrupted import "
        "(verify --repair removes it)"
        for p in leftovers(agency)
    ]
    problems += [
        f"import #{pk} ({name}) was interrupted: it has no results "
        "(verify --repair removes it)"
        for pk, name in LogImport.objects.filter(
            agency=agency, complete=False
        ).values_list("pk", "filename")
    ]
    known = storage.read_manifest(agency)
    present = {str(p.relative_to(root)): p for p in storage.stored_files(agency)}
    for rel in sorted(set(known) - set(present)):
        problems.append(f"{rel} is missing (the manifest lists it)")
    for rel, path in sorted(present.items()):
        if rel not in known:
            problems.append(f"{rel} is not in the manifest")
        elif storage.sha256_of(path) != known[rel]:
            problems.append(f"{rel} has changed: its SHA-256 is not the manifest's")
    unreadable: set[str] = set()
    with closing(storage.connect(agency)) as con:
        for month in storage.months(agency):
            stats = storage.result_files(agency, "stats", [month])
            if not stats or not storage.result_files(agency, "findings", [month]):
                problems.append(f"month {month} has rows but no results")
                continue
            try:
                rows, counted_rows = duck.month_counts(
                    con, storage.archive_files(agency, [month]), stats[0]
                )
            except duck.duckdb.Error as exc:
                problems.append(f"month {month} cannot be read: {duck.reason(exc)}")
                unreadable.add(month)
                continue
            if rows != counted_rows:
                problems.append(
                    f"month {month}: the results count {counted_rows} rows, "
                    f"the archive holds {rows}"
                )
        if unreadable:
            return problems  # which import's rows are missing cannot be told
        try:
            have = duck.rows_by_import(con, storage.archive_files(agency))
        except duck.duckdb.Error as exc:
            problems.append(f"the archive cannot be read: {duck.reason(exc)}")
            return problems
    for pk, name, new_rows in LogImport.objects.filter(
        agency=agency, complete=True, new_rows__gt=0
    ).values_list("pk", "filename", "new_rows"):
        if pk not in have and not _purged_since(agency, pk):
            problems.append(f"import #{pk} ({name}): its {new_rows} rows are missing")
    ours = set(LogImport.objects.filter(agency=agency).values_list("pk", flat=True))
    for pk in sorted(set(have) - ours):
        problems.append(f"{have[pk]} archived rows belong to no import (#{pk})")
    return problems


def _purged_since(agency: Agency, pk: int) -> bool:
    """Retention may have removed all of an old import's rows."""
    from accdesk.core.models import ChangeRecord

    log = LogImport.objects.get(pk=pk)
    return ChangeRecord.objects.filter(
        agency_id=agency.pk, event="purge", at__gt=log.imported_at
    ).exists()


# -- Retention ----------------------------------------------------------------------


class RetentionError(Exception):
    """A purge would remove rows younger than the retention period."""


def earliest_purge_date(agency: Agency) -> dt.date:
    """Rows dated before this may be purged: today minus the retention period
    (default 3 years, never less than 1: CJISSECPOL AU-11)."""
    today = agency.today()
    years = settings.QUERYLOG_RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def purge(agency: Agency, before: dt.date) -> int:
    """Remove the archive rows dated before ``before``; returns months changed."""
    with storage.locked(agency):
        return _purge(agency, before)


def _purge(agency: Agency, before: dt.date) -> int:
    limit = earliest_purge_date(agency)
    if before > limit:
        raise RetentionError(
            f"Query logs are kept {settings.QUERYLOG_RETENTION_YEARS} year(s) "
            f"(CJISSECPOL AU-11 asks for at least 1): rows dated {limit} or later "
            f"must stay, so --before may be {limit} at the latest."
        )
    cut = before.strftime("%Y-%m")
    changed = 0
    stored = set(storage.stored_files(agency))
    for month in storage.months(agency):
        if month < cut:
            shutil.rmtree(storage.folder(agency, "archive") / f"{MONTH_PREFIX}{month}")
            shutil.rmtree(
                storage.folder(agency, "results") / f"{MONTH_PREFIX}{month}",
                ignore_errors=True,
            )
            changed += 1
        elif month == cut and before.day > 1:
            _trim_month(agency, month, before)
            changed += 1
    if changed:
        # Purged rows cannot be put back: should this fail, the months it would
        # rewrite keep their previous results until `querylog reaudit` succeeds.
        ruleset.results_changed(
            agency, recompute(agency, [cut], rules=ruleset.current_rules(agency))
        )
    # The manifest follows the files the purge removed and wrote (the results it
    # rewrote are recorded by recompute).
    now = set(storage.stored_files(agency))
    storage.update_manifest(agency, sorted(now - stored), sorted(stored - now))
    record_event(
        "purge",
        agency_id=agency.pk,
        message=f"Query-log archive purged of rows dated before {before}.",
    )
    return changed


def _trim_month(agency: Agency, month: str, before: dt.date) -> None:
    folder = storage.folder(agency, "archive") / f"{MONTH_PREFIX}{month}"
    old = sorted(folder.glob("*.parquet"))
    target = (
        f"{agency.ori}/archive/{MONTH_PREFIX}{month}/kept{int(time.time())}.parquet"
    )
    with closing(storage.connect(agency)) as con:
        kept = duck.keep_rows_from(
            con,
            storage.archive_files(agency, [month]),
            before,
            storage.vault().url(target),
        )
    for path in old:
        path.unlink()
    if not kept:
        (storage.vault().root / target).unlink(missing_ok=True)


# -- Audit sets -----------------------------------------------------------------------


@transaction.atomic
def create_audit_set(
    agency: Agency, date_from: dt.date, date_to: dt.date, size: int, seed: str
) -> AuditSet:
    audit_set = AuditSet.objects.create(
        agency=agency,
        date_from=date_from,
        date_to=date_to,
        size=size,
        seed=seed,
        created_by=current_actor().label,
        rule_version=ruleset.current_version(agency).number,
    )
    window = _months_between(date_from, date_to)
    with closing(storage.connect(agency)) as con:
        rows = duck.sample(
            con,
            storage.archive_files(
                agency, [m for m in window if m in set(storage.months(agency))]
            ),
            ruleset.current_rules(agency),
            date_from=date_from,
            date_to=date_to,
            size=size,
            seed=seed,
        )
    # What each inquiry's findings are now is recorded with it: a later rule-set
    # version never changes what the set's reviewer was shown (issue 17 §2).
    found = ruleset.findings_of_rows(
        agency,
        [(ts.astimezone(agency.tz).strftime("%Y-%m"), key) for key, ts, *_ in rows],
    )
    items = AuditSample.objects.bulk_create(
        AuditSample(
            audit_set=audit_set,
            position=i,
            key=key,
            ts=ts,
            operator_id=op or "",
            terminal=term or "",
            message_key=(mkey or "").upper(),
            findings=found.get(key, []),
        )
        for i, (key, ts, op, term, mkey) in enumerate(rows, start=1)
    )
    record_changes((item, "create", None) for item in items)
    return audit_set


def _months_between(start: dt.date, end: dt.date) -> list[str]:
    out, cursor = [], start.replace(day=1)
    while cursor <= end:
        out.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return out
