"""A list's download, recorded in the change record.

Every list page downloads its matching rows as CSV or XLSX (``lib.listing``); each
download is an ``export`` event naming the list, the filters used (by name only:
search words may name a person) and the number of rows (CJISSECPOL v5.9.5 AU-2:
exports of agency data are auditable events). A download that carries the names
and dates of birth of query-log subjects is a dissemination of criminal-history
record information, recorded under its own event, ``export.chri``, so the ACC can
find every one of them (11 CCR §707(c) and PC §11142 make a release of CORI
something the agency must be able to account for).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from accdesk.core.audit import record_event
from accdesk.lib import listing

EXPORT = "export"
CHRI_EXPORT = "export.chri"


def list_download(
    request: Any,
    rows: Any,
    columns: Sequence[listing.Column],
    *,
    fmt: str,
    what: str,
    filename: str,
    default_sort: str,
    filters: Iterable[str] | None = None,
    chri: bool = False,
) -> HttpResponse:
    """Record the download of ``what`` (e.g. "roster") in the request's agency, then
    write every matching row. ``chri``: the rows carry subject names and dates of
    birth."""
    count = listing.row_count(rows)
    used = listing.filters_used(listing.filter_params(request, filters))
    message = (
        f"{what} downloaded as {fmt.upper()}: {count} row{'s' if count != 1 else ''}"
        f"; filters: {', '.join(used) if used else 'none'}"
    )
    if chri:
        message += "; with subject names and dates of birth (dissemination of CHRI)"
    record_event(
        CHRI_EXPORT if chri else EXPORT, agency_id=request.agency.pk, message=message
    )
    return listing.download(
        request,
        rows,
        columns,
        fmt=fmt,
        filename=filename,
        default_sort=default_sort,
    )
