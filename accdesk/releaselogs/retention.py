"""Retention of the release log, and the purge of entries past it.

11 CCR §707(c): the record of each release is kept available for inspection for at
least three years from the release date. ``ACCDESK_RELEASELOG_RETENTION_YEARS`` may
lengthen that, never shorten it (the setting refuses values below 3).

A purge removes the entries released before a date -- wherever they sit in the
chain, since imported old logs get late sequence numbers -- and writes a
``PurgeCertificate`` listing each removed entry's sequence number and hash, signed
with the chain key, so the remaining chain still verifies. It refuses, and changes
nothing, when the date would reach entries younger than the retention period or
when the chain does not verify (a purge must not launder tampered rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accdesk.agency.models import Agency
from accdesk.core.actor import current_actor
from accdesk.core.audit import record_event
from accdesk.releaselogs.chain import certificate_mac, chain_key
from accdesk.releaselogs.models import EntryQuerySet, PurgeCertificate, ReleaseLogEntry
from accdesk.releaselogs.verification import verify


class PurgeRefused(Exception):
    """The purge was refused; nothing was removed."""


@dataclass(frozen=True)
class PurgeResult:
    count: int
    certificate: PurgeCertificate | None


def retention_years() -> int:
    return int(settings.RELEASELOG_RETENTION_YEARS)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier; February 29 becomes February 28 (the
    earlier day, so the period is never shortened)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def latest_purge_date(agency: Agency) -> dt.date:
    """The latest ``--before`` date allowed today: every entry released before it
    has been kept for more than the retention period."""
    return years_before(agency.today(), retention_years())


def purgeable(agency: Agency, before: dt.date) -> EntryQuerySet:
    return ReleaseLogEntry.objects.filter(agency=agency).released_before(
        before, agency.tz
    )


def purge(agency: Agency, before: dt.date, *, dry_run: bool = False) -> PurgeResult:
    """Remove the entries released before ``before`` (a date in the agency's time
    zone) and certify it; with ``dry_run``, only count them."""
    latest = latest_purge_date(agency)
    if before > latest:
        raise PurgeRefused(
            f"{before:%Y-%m-%d} would remove entries released less than "
            f"{retention_years()} years ago: the latest date allowed today is "
            f"{latest:%Y-%m-%d}. Nothing was removed."
        )
    with transaction.atomic():
        check = verify(agency)
        if check.ok:
            return _remove(agency, before, dry_run=dry_run)
    # Outside the transaction, so the failed verification stays on record.
    raise PurgeRefused(
        f"The chain does not verify ({check.summary()}); investigate before "
        "purging. Nothing was removed."
    )


def _remove(agency: Agency, before: dt.date, *, dry_run: bool) -> PurgeResult:
    doomed = purgeable(agency, before).order_by("sequence")
    links = list(doomed.values_list("sequence", "hash", "released_at"))
    if dry_run or not links:
        return PurgeResult(len(links), None)
    certificate = _certify(agency, before, links)
    doomed._purge()
    record_event(
        "releaselog.purge",
        agency_id=agency.pk,
        obj=certificate,
        message=f"{certificate}: sequences {links[0][0]}..{links[-1][0]}",
    )
    return PurgeResult(len(links), certificate)


def _certify(
    agency: Agency, before: dt.date, links: list[tuple[int, str, dt.datetime]]
) -> PurgeCertificate:
    released = [released_at for _, _, released_at in links]
    last_sequence, last_hash, _ = links[-1]
    certificate = PurgeCertificate(
        agency=agency,
        purged_at=timezone.now(),
        purged_by=current_actor().label,
        before=before,
        retention_years=retention_years(),
        released_from=min(released),
        released_to=max(released),
        count=len(links),
        entries=[[sequence, value] for sequence, value, _ in links],
        last_sequence=last_sequence,
        last_hash=last_hash,
    )
    certificate.mac = certificate_mac(chain_key(), certificate)
    certificate.save()
    return certificate
