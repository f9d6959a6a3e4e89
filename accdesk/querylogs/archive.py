"""The agency's query-log archive: encrypted Parquet under ``DATA_DIR``, one folder
per month, with the audit results of each month beside it.

    DATA_DIR/querylogs/<ORI>/archive/month=YYYY-MM/import<id>_<n>.parquet
    DATA_DIR/querylogs/<ORI>/results/month=YYYY-MM/findings.parquet, stats.parquet

Every file is encrypted (``vault.py``). Importing runs the audit of the file and then
recomputes the results of the months it touched and of the months within the
REPEAT_SUBJECT window of them (a window can cross month boundaries: with the
default 168 hours, the month before and the month after).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from accdesk.agency.models import Agency
from accdesk.core.actor import current_actor
from accdesk.core.audit import record_changes, record_event
from accdesk.querylogs import crossrules, duck, reader
from accdesk.querylogs.audit import Archived, AuditResult, audit_file, audit_layout
from accdesk.querylogs.logfile import LogLayout
from accdesk.querylogs.models import AuditSample, AuditSet, LogImport
from accdesk.querylogs.people import people_of
from accdesk.querylogs.rules import RuleSet
from accdesk.querylogs.vault import VaultFileSystem

MONTH_PREFIX = "month="
SKIPPED_KEPT = 100_000  # [row, reason] of skipped rows kept for the download
STAGING = ".staging"  # results/.staging/month=YYYY-MM/: see recompute()


def _versions() -> Any:
    """``ruleset.py``, which sits above this module (it runs ``recompute`` into
    candidate sets): imported when called, so that the two do not import each
    other at load time."""
    from accdesk.querylogs import ruleset

    return ruleset


def vault() -> VaultFileSystem:
    root = Path(settings.DATA_DIR) / "querylogs"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return VaultFileSystem(root, settings.QUERYLOG_ARCHIVE_KEY.encode())


def _root(agency: Agency) -> Path:
    return vault().root / agency.ori


def _dir(agency: Agency, kind: str, stage: Path | None = None) -> Path:
    return (stage or _root(agency)) / kind


def months(agency: Agency, stage: Path | None = None) -> list[str]:
    """The archive's months; with ``stage``, also those of an import's staged
    rows (not yet committed: readers never see them)."""
    folders = [_dir(agency, "archive")] + (
        [_dir(agency, "archive", stage)] if stage else []
    )
    return sorted(
        {
            p.name.removeprefix(MONTH_PREFIX)
            for folder in folders
            if folder.is_dir()
            for p in folder.iterdir()
            if p.name.startswith(MONTH_PREFIX) and any(p.glob("*.parquet"))
        }
    )


def _urls(folder: Path) -> list[str]:
    fs = vault()
    return [
        fs.url(str(p.relative_to(fs.root))) for p in sorted(folder.glob("*.parquet"))
    ]


def archive_files(
    agency: Agency, month_list: list[str] | None = None, stage: Path | None = None
) -> list[str]:
    wanted = months(agency, stage) if month_list is None else month_list
    bases = [_root(agency)] + ([stage] if stage else [])
    return [
        url
        for m in wanted
        for base in bases
        for url in _urls(base / "archive" / f"{MONTH_PREFIX}{m}")
    ]


def result_files(agency: Agency, kind: str, month_list: list[str]) -> list[str]:
    fs = vault()
    found = []
    for m in month_list:
        path = _dir(agency, "results") / f"{MONTH_PREFIX}{m}" / f"{kind}.parquet"
        if path.is_file():
            found.append(fs.url(str(path.relative_to(fs.root))))
    return found


def connect(agency: Agency) -> duck.Connection:
    return duck.connect(agency.time_zone, vault=vault())


@contextmanager
def locked(agency: Agency) -> Iterator[None]:
    """One writer per agency archive at a time (an upload and a cron import could
    otherwise both miss each other's rows when checking for duplicates)."""
    folder = vault().root / agency.ori
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- Import ------------------------------------------------------------------------


def archived(agency: Agency) -> Archived:
    """What an audit of one of the agency's files needs of its archive."""
    return Archived(vault(), archive_files(agency), agency.all_oris())


def audit_for(agency: Agency, path: Path, **kwargs: object) -> AuditResult:
    """``accdesk querylog audit --agency``: the agency's rules, roster, ORIs and
    archive; nothing is stored."""
    return audit_file(
        path,
        rules=_versions().current_rules(agency),
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
) -> LogImport:
    """Audit the file (with the agency's roster and archive), store its new rows in
    the archive and recompute the results of the months it touched.

    All or nothing (issue 10): a row of another ORI refuses the file whatever
    ``skip_bad_rows`` says; an unreadable row refuses it unless ``skip_bad_rows``,
    which stores the other rows and records how many were skipped. The file is
    expanded and converted to UTF-8 (within the gzip and size limits) before the
    archive lock is taken (issue 11)."""
    with reader.scratch() as tmp:
        layout = reader.prepare(path, tmp, column_map)
        sha256 = sha256_of(path)
        with locked(agency):
            return _import_log(agency, layout, tmp, filename, sha256, skip_bad_rows)


def _import_log(
    agency: Agency,
    layout: LogLayout,
    tmp: Path,
    filename: str,
    sha256: str,
    skip_bad_rows: bool,
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
    stage = _root(agency) / f"{STAGE_PREFIX}{log.pk}"
    written: list[str] = []

    def store(con: duck.Connection, layout: LogLayout, sentinel: Path) -> None:
        nonlocal written
        stage.mkdir(mode=0o700)
        new_rows, written = duck.archive_file(
            con,
            layout,
            sentinel,
            import_id=log.pk,
            existing=archive_files(agency),
            target=vault().url(f"{agency.ori}/{stage.name}/archive"),
        )
        log.new_rows = new_rows

    try:
        result = audit_layout(
            layout,
            tmp,
            rules=_versions().current_rules(agency),
            tz=agency.time_zone,
            people=people_of(agency),
            archived=archived(agency),
            agency=agency,
            then=store,
            strict=not skip_bad_rows,
        )
        touched = sorted({_month_of(f) for f in written})
        recompute(agency, touched, stage=stage)
        fields = _fields(log, result, touched, time.monotonic() - started)
        _write_json(stage / COMMIT, {"import": log.pk, "log": fields})
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


# -- Commit, recovery, manifest ------------------------------------------------------

STAGE_PREFIX = ".import-"
COMMIT = "commit.json"
MANIFEST = "manifest.json"  # SHA-256 of every archive and results file


def _write_json(target: Path, data: object) -> None:
    """Write ``target`` whole or not at all (a rename is atomic)."""
    part = target.with_name(target.name + ".part")
    with part.open("w") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    part.replace(target)


def _read_manifest(agency: Agency) -> dict[str, str]:
    path = _root(agency) / MANIFEST
    return json.loads(path.read_text())["files"] if path.is_file() else {}


def _update_manifest(
    agency: Agency, added: list[Path], removed: list[Path] | None = None
) -> None:
    """Record the SHA-256 of ``added`` (paths under the agency's folder) and drop
    ``removed``; ``verify`` compares every file with it."""
    root = _root(agency)
    files = _read_manifest(agency)
    for path in removed or []:
        files.pop(str(path.relative_to(root)), None)
    for path in added:
        files[str(path.relative_to(root))] = sha256_of(path)
    _write_json(root / MANIFEST, {"files": dict(sorted(files.items()))})


def _stored_files(agency: Agency) -> list[Path]:
    root = _root(agency)
    return sorted(
        p
        for kind in ("archive", "results")
        for p in (root / kind).glob(f"{MONTH_PREFIX}*/*.parquet")
    )


def _roll_forward(agency: Agency, stage: Path) -> None:
    """Move a committed import's files into place and complete its record. Each
    step can be repeated: a kill part-way is finished by the next run."""
    commit = json.loads((stage / COMMIT).read_text())
    root = _root(agency)
    moved = []
    for staged in sorted(stage.glob(f"*/{MONTH_PREFIX}*/*.parquet")):
        final = root / staged.relative_to(stage)
        final.parent.mkdir(parents=True, exist_ok=True)
        staged.replace(final)
        moved.append(final)
    # Files moved by a run that was killed before the manifest was written are
    # in place already: hash whatever the manifest does not match yet.
    known = _read_manifest(agency)
    stale = [p for p in _stored_files(agency) if str(p.relative_to(root)) not in known]
    _update_manifest(agency, sorted(set(moved) | set(stale)))
    LogImport.objects.filter(pk=commit["import"], agency=agency).update(**commit["log"])
    shutil.rmtree(stage)
    # The current set's summaries follow the results moved in (ruleset.py).
    results = {
        _month_of(str(p)) for p in moved if p.relative_to(root).parts[0] == "results"
    }
    _versions().results_changed(agency, sorted(results))


def leftovers(agency: Agency) -> list[Path]:
    """What an interrupted import or recompute leaves behind: staging folders and
    ``.part`` files."""
    root = _root(agency)
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
    """Finish or undo interrupted imports (call it holding ``locked(agency)``):
    a committed one is rolled forward, an uncommitted one removed with its
    record. Returns what was done, one line each."""
    done = []
    for stage in sorted(_root(agency).glob(f"{STAGE_PREFIX}*")):
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
        done.append(f"removed {path.relative_to(_root(agency))}")
    # An archive written before checksums were kept: its files as they are now
    # become the record (once; from then on every change is recorded).
    root = _root(agency)
    if not (root / MANIFEST).is_file() and (files := _stored_files(agency)):
        _update_manifest(agency, files)
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
    root = _root(agency)
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
    known = _read_manifest(agency)
    present = {str(p.relative_to(root)): p for p in _stored_files(agency)}
    for rel in sorted(set(known) - set(present)):
        problems.append(f"{rel} is missing (the manifest lists it)")
    for rel, path in sorted(present.items()):
        if rel not in known:
            problems.append(f"{rel} is not in the manifest")
        elif sha256_of(path) != known[rel]:
            problems.append(f"{rel} has changed: its SHA-256 is not the manifest's")
    unreadable: set[str] = set()
    with closing(connect(agency)) as con:
        for month in months(agency):
            stats = result_files(agency, "stats", [month])
            if not stats or not result_files(agency, "findings", [month]):
                problems.append(f"month {month} has rows but no results")
                continue
            try:
                rows, counted_rows = duck.month_counts(
                    con, archive_files(agency, [month]), stats[0]
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
            have = duck.rows_by_import(con, archive_files(agency))
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


# -- Results -----------------------------------------------------------------------


def _month_span(month: str, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The first instant (in UTC) of ``month`` where the agency is, and of the
    month after it."""
    first = dt.datetime.fromisoformat(f"{month}-01")
    after = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        first.replace(tzinfo=tz).astimezone(dt.UTC),
        after.replace(tzinfo=tz).astimezone(dt.UTC),
    )


def _near(
    candidates: set[str], month_list: list[str], hours: int, tz: dt.tzinfo
) -> list[str]:
    """The ``candidates`` that overlap a month of ``month_list`` or lie less than
    ``hours`` from one: a REPEAT_SUBJECT window of that length reaches no further.
    (Differences, not sums, of instants: any number of hours is safe.)"""
    margin = dt.timedelta(hours=hours)
    spans = [_month_span(m, tz) for m in month_list]
    return sorted(
        c
        for c in candidates
        for start, end in [_month_span(c, tz)]
        if any(
            start - after < margin and first - end < margin for first, after in spans
        )
    )


def recompute(
    agency: Agency,
    touched: list[str],
    stage: Path | None = None,
    *,
    rules: RuleSet | None = None,
    folder: str = "results",
) -> list[str]:
    """Rewrite the results of the months whose findings the rows of ``touched``
    months can change -- those months and the ones within the REPEAT_SUBJECT
    window of them -- that hold rows; returns the months recomputed. Call it
    holding ``locked(agency)``.

    Every month recomputed is loaded, with the archive rows within the window
    around it as context, so each month's REPEAT_SUBJECT sees all the queries
    ``audit --agency`` would see, whatever the window's length.

    All or nothing: every month's results are first written to a staging folder
    and moved into place only once all of them are written. A failure part-way
    (an import then removes its archive files) leaves the previous results as
    they were, rather than some months counting rows the archive no longer has.

    With ``stage`` (an import's staging folder): its rows count as archived, and
    the results are written into it for the import's commit to move.

    ``rules`` default to the agency's adopted rule-set version; ``reaudit`` passes
    the newest one and a candidate ``folder`` (``ruleset.py``)."""
    rules = rules or _versions().current_rules(agency)
    tz = agency.tz
    present = set(months(agency, stage))
    scope = _near(present, touched, rules.repeat_hours, tz)
    if not scope:
        return []
    context = _near(present, scope, rules.repeat_hours, tz)
    margin = dt.timedelta(hours=rules.repeat_hours)
    first, after = _month_span(scope[0], tz)[0], _month_span(scope[-1], tz)[1]
    # The rows within the window of the scope, and never beyond the context.
    earliest, latest = _month_span(context[0], tz)[0], _month_span(context[-1], tz)[1]
    start = earliest if first - earliest <= margin else first - margin
    end = latest if latest - after <= margin else after + margin
    results = _dir(agency, folder)
    staging = _dir(agency, "results", stage) if stage else results / STAGING
    prefix = (
        f"{agency.ori}/{stage.name}/results"
        if stage
        else (f"{agency.ori}/{folder}/{STAGING}")
    )
    shutil.rmtree(staging, ignore_errors=True)  # left by a run that was killed
    try:
        with closing(connect(agency)) as con:
            duck.load_archive(
                con,
                archive_files(agency, context, stage),
                rules,
                start=start,
                end=end,
                months=scope,
            )
            people = people_of(agency)
            if people is not None:
                duck.load_people(con, people)
            duck.check(con, rules, with_people=people is not None)
            crossrules.apply(con, rules, agency, with_people=people is not None)
            duck.prepare_month_results(con)
            for month in scope:
                (staging / f"{MONTH_PREFIX}{month}").mkdir(parents=True)
                base = f"{prefix}/{MONTH_PREFIX}{month}"
                duck.write_month_results(
                    con,
                    month,
                    archive_files(agency, [month], stage),
                    vault().url(f"{base}/findings.parquet"),
                    vault().url(f"{base}/stats.parquet"),
                )
        if stage:
            return scope  # the import's commit moves them (_roll_forward)
        # A plain rename is enough: a vault file's key and authenticated data come
        # from its own header (salt), not from its name (vault.py renames every
        # file it writes from ``.part``). Each rename is atomic for readers.
        moved = []
        for staged in sorted(staging.glob(f"{MONTH_PREFIX}*/*.parquet")):
            final = results / staged.relative_to(staging)
            final.parent.mkdir(exist_ok=True)
            staged.replace(final)
            moved.append(final)
        if folder == "results":  # a candidate set is recorded once adopted
            _update_manifest(agency, moved)
    finally:
        if not stage:
            shutil.rmtree(staging, ignore_errors=True)
    return scope


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
    with locked(agency):
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
    stored = set(_stored_files(agency))
    for month in months(agency):
        if month < cut:
            shutil.rmtree(_dir(agency, "archive") / f"{MONTH_PREFIX}{month}")
            shutil.rmtree(
                _dir(agency, "results") / f"{MONTH_PREFIX}{month}", ignore_errors=True
            )
            changed += 1
        elif month == cut and before.day > 1:
            _trim_month(agency, month, before)
            changed += 1
    if changed:
        # Purged rows cannot be put back: should this fail, the months it would
        # rewrite keep their previous results until `querylog reaudit` succeeds.
        _versions().results_changed(agency, recompute(agency, [cut]))
    # The manifest follows the files the purge removed and wrote (the results it
    # rewrote are recorded by recompute).
    now = set(_stored_files(agency))
    _update_manifest(agency, sorted(now - stored), sorted(stored - now))
    record_event(
        "purge",
        agency_id=agency.pk,
        message=f"Query-log archive purged of rows dated before {before}.",
    )
    return changed


def _trim_month(agency: Agency, month: str, before: dt.date) -> None:
    folder = _dir(agency, "archive") / f"{MONTH_PREFIX}{month}"
    old = sorted(folder.glob("*.parquet"))
    target = (
        f"{agency.ori}/archive/{MONTH_PREFIX}{month}/kept{int(time.time())}.parquet"
    )
    with closing(connect(agency)) as con:
        kept = duck.keep_rows_from(
            con, archive_files(agency, [month]), before, vault().url(target)
        )
    for path in old:
        path.unlink()
    if not kept:
        (vault().root / target).unlink(missing_ok=True)


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
        rule_version=_versions().current_version(agency).number,
    )
    window = _months_between(date_from, date_to)
    with closing(connect(agency)) as con:
        rows = duck.sample(
            con,
            archive_files(agency, [m for m in window if m in set(months(agency))]),
            _versions().current_rules(agency),
            date_from=date_from,
            date_to=date_to,
            size=size,
            seed=seed,
        )
    # What each inquiry's findings are now is recorded with it: a later rule-set
    # version never changes what the set's reviewer was shown (issue 17 §2).
    found = _versions().findings_of_rows(
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
