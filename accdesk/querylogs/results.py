"""The audit results of the archive's months (``storage.py`` says where they are):
``recompute`` rewrites a month's findings and stats whenever its rows, or the rows
within the REPEAT_SUBJECT window of it, change (an import, a purge, a reaudit). A
window can cross month boundaries: with the default 168 hours, the month before
and the month after.

The caller names the rules: the agency's adopted rule-set version for an import or
a purge, the newest one for a reaudit (``ruleset.py``).
"""

from __future__ import annotations

import datetime as dt
import shutil
from contextlib import closing
from pathlib import Path

from accdesk.agency.models import Agency
from accdesk.querylogs import crossrules, duck, storage
from accdesk.querylogs.people import people_of
from accdesk.querylogs.rules import RuleSet
from accdesk.querylogs.storage import MONTH_PREFIX, STAGING


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
    rules: RuleSet,
    folder: str = "results",
) -> list[str]:
    """Rewrite the results of the months whose findings the rows of ``touched``
    months can change -- those months and the ones within the REPEAT_SUBJECT
    window of them -- that hold rows; returns the months recomputed. Call it
    holding ``storage.locked(agency)``.

    Every month recomputed is loaded, with the archive rows within the window
    around it as context, so each month's REPEAT_SUBJECT sees all the queries
    ``audit --agency`` would see, whatever the window's length.

    All or nothing: every month's results are first written to a staging folder
    and moved into place only once all of them are written. A failure part-way
    (an import then removes its archive files) leaves the previous results as
    they were, rather than some months counting rows the archive no longer has.

    With ``stage`` (an import's staging folder): its rows count as archived, and
    the results are written into it for the import's commit to move.

    ``rules``: the agency's adopted rule-set version for an import or a purge;
    ``reaudit`` passes the newest one and a candidate ``folder`` (``ruleset.py``)."""
    tz = agency.tz
    present = set(storage.months(agency, stage))
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
    results = storage.folder(agency, folder)
    staging = storage.folder(agency, "results", stage) if stage else results / STAGING
    prefix = (
        f"{agency.ori}/{stage.name}/results"
        if stage
        else (f"{agency.ori}/{folder}/{STAGING}")
    )
    shutil.rmtree(staging, ignore_errors=True)  # left by a run that was killed
    try:
        with closing(storage.connect(agency)) as con:
            duck.load_archive(
                con,
                storage.archive_files(agency, context, stage),
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
                    storage.archive_files(agency, [month], stage),
                    storage.vault().url(f"{base}/findings.parquet"),
                    storage.vault().url(f"{base}/stats.parquet"),
                )
        if stage:
            return scope  # the import's commit moves them (archive._roll_forward)
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
            storage.update_manifest(agency, moved)
    finally:
        if not stage:
            shutil.rmtree(staging, ignore_errors=True)
    return scope
