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


def _dir(agency: Agency, kind: str) -> Path:
    return vault().root / agency.ori / kind


def months(agency: Agency) -> list[str]:
    folder = _dir(agency, "archive")
    if not folder.is_dir():
        return []
    return sorted(
        p.name.removeprefix(MONTH_PREFIX)
        for p in folder.iterdir()
        if p.name.startswith(MONTH_PREFIX) and any(p.glob("*.parquet"))
    )


def _urls(folder: Path) -> list[str]:
    fs = vault()
    return [
        fs.url(str(p.relative_to(fs.root))) for p in sorted(folder.glob("*.parquet"))
    ]


def archive_files(agency: Agency, month_list: list[str] | None = None) -> list[str]:
    wanted = months(agency) if month_list is None else month_list
    return [
        url
        for m in wanted
        for url in _urls(_dir(agency, "archive") / f"{MONTH_PREFIX}{m}")
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
    started = time.monotonic()
    log = LogImport.objects.create(
        agency=agency,
        filename=Path(filename).name[:255],
        sha256=sha256,
        imported_by=current_actor().label,
    )
    written: list[str] = []

    def store(con: duck.Connection, layout: LogLayout, sentinel: Path) -> None:
        nonlocal written
        new_rows, written = duck.archive_file(
            con,
            layout,
            sentinel,
            import_id=log.pk,
            existing=archive_files(agency),
            target=vault().url(f"{agency.ori}/archive"),
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
        _versions().results_changed(agency, recompute(agency, touched))
    except BaseException:
        # Leave no half import behind: its archive files go with its record.
        for url in written:
            vault().rm_file(url)
        log.delete()
        raise
    _fill(log, result, touched, time.monotonic() - started)
    return log


def _month_of(url: str) -> str:
    part = next(p for p in url.split("/") if p.startswith(MONTH_PREFIX))
    return part.removeprefix(MONTH_PREFIX)


def _fill(log: LogImport, result: AuditResult, touched: list[str], secs: float) -> None:
    log.rows = result.rows
    log.chri_rows = result.chri_rows
    log.skipped_rows = len(result.skipped)
    log.skipped = [list(s) for s in result.skipped[:SKIPPED_KEPT]]
    log.rows_with_findings = result.rows_with_findings
    log.by_rule = result.by_rule
    log.months = touched
    log.seconds = round(secs, 2)
    log.save()


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

    ``rules`` default to the agency's adopted rule-set version; ``reaudit`` passes
    the newest one and a candidate ``folder`` (``ruleset.py``)."""
    rules = rules or _versions().current_rules(agency)
    tz = agency.tz
    present = set(months(agency))
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
    staging = results / STAGING
    shutil.rmtree(staging, ignore_errors=True)  # left by a run that was killed
    try:
        with closing(connect(agency)) as con:
            duck.load_archive(
                con,
                archive_files(agency, context),
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
            for month in scope:
                (staging / f"{MONTH_PREFIX}{month}").mkdir(parents=True)
                base = f"{agency.ori}/{folder}/{STAGING}/{MONTH_PREFIX}{month}"
                duck.write_month_results(
                    con,
                    month,
                    archive_files(agency, [month]),
                    vault().url(f"{base}/findings.parquet"),
                    vault().url(f"{base}/stats.parquet"),
                )
        # A plain rename is enough: a vault file's key and authenticated data come
        # from its own header (salt), not from its name (vault.py renames every
        # file it writes from ``.part``). Each rename is atomic for readers.
        for staged in sorted(staging.glob(f"{MONTH_PREFIX}*/*.parquet")):
            final = results / staged.relative_to(staging)
            final.parent.mkdir(exist_ok=True)
            staged.replace(final)
    finally:
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
