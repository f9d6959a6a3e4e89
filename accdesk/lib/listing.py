"""Lists an ACC can live in: one page of rows at a time, sorted by any column, with
the filters, period and sort kept in the URL, and the same rows as a download.

A view describes its columns once; ``paginate`` sorts and cuts the page (only the
page is rendered, whatever the length of the list), and ``download`` writes every
matching row -- filters applied -- as CSV or XLSX through the one spreadsheet
writer (``lib/exports.py``). The templates ``_list_head.html``,
``_pagination.html`` and ``_downloads.html`` draw the header, the page links and
the download links.

Bad parameters (an unknown sort key, a page that is not a positive number or does
not exist) are a 400 with a plain message, never a 500 (issue 11).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict

from accdesk.lib.exports import csv_response, xlsx_response

PER_PAGE = 50
SORT, PAGE, FORMAT = "sort", "page", "format"
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """One column of a list.

    - ``key``: the sort key in the URL (``?sort=key``, ``?sort=-key`` descending)
      and the column's header in downloads.
    - ``order``: for a queryset, the field (or expression) to order by (default
      ``key``); for a list of objects, a function giving the sort value.
    - ``value``: the cell of a download (default: the attribute or item ``key``).
    - ``sortable``: False for a column with no meaningful order.
    - ``exported``: False for a column that only the page has (a button).
    """

    key: str
    label: str
    order: str | Callable[[Any], Any] | None = None
    value: Callable[[Any], Any] | None = None
    sortable: bool = True
    exported: bool = True

    def cell(self, row: Any) -> Any:
        if self.value is not None:
            return self.value(row)
        if isinstance(row, dict):
            return row.get(self.key)
        return attrgetter(self.key)(row)


@dataclass(frozen=True)
class Header:
    label: str
    url: str  # "" for a column that cannot be sorted
    aria_sort: str  # "ascending" / "descending" / "" (not the sort column)


@dataclass
class Listing:
    """One page of a sorted, filtered list, and how to link to the others."""

    page: Page
    columns: Sequence[Column]
    sort: str  # the column key
    descending: bool
    params: QueryDict  # the request's filters, without the page

    def __iter__(self):  # noqa: ANN204 - the rows of the page
        return iter(self.page)

    @property
    def query(self) -> str:
        """The filters and sort, for page links (``?{{ query }}&page=2``)."""
        return self.params.urlencode()

    @property
    def headers(self) -> list[Header]:
        headers = []
        for column in self.columns:
            if not column.sortable:
                headers.append(Header(column.label, "", ""))
                continue
            current = column.key == self.sort
            params = self.params.copy()
            # Clicking the sort column again turns its direction round.
            params[SORT] = (
                f"-{column.key}" if current and not self.descending else column.key
            )
            aria = ("descending" if self.descending else "ascending") if current else ""
            headers.append(Header(column.label, f"?{params.urlencode()}", aria))
        return headers

    def download_url(self, fmt: str) -> str:
        params = self.params.copy()
        params[FORMAT] = fmt
        return f"?{params.urlencode()}"

    @property
    def downloads(self) -> list[tuple[str, str]]:
        return [(fmt.upper(), self.download_url(fmt)) for fmt in FORMATS]


def sort_of(
    request: HttpRequest, columns: Sequence[Column], default: str
) -> tuple[Column, bool]:
    """The column and direction asked for in ``?sort=``, or the default."""
    text = request.GET.get(SORT) or default
    descending = text.startswith("-")
    key = text.removeprefix("-")
    for column in columns:
        if column.key == key and column.sortable:
            return column, descending
    raise BadRequest(f"This list cannot be sorted by {key[:40]!r}.")


def sorted_rows(
    rows: QuerySet[Any] | Sequence[Any], column: Column, descending: bool
) -> QuerySet[Any] | list[Any]:
    """Rows in the column's order; ties keep a stable order (the primary key for
    a queryset, the given order for a list). Blanks sort last either way."""
    if isinstance(rows, QuerySet):
        field = column.order if isinstance(column.order, str) else column.key
        expression = F(field.removeprefix("-"))
        reverse = descending != field.startswith("-")
        ordered = (
            expression.desc(nulls_last=True)
            if reverse
            else expression.asc(nulls_last=True)
        )
        tiebreak = "-pk" if reverse else "pk"
        return rows.order_by(ordered, tiebreak)
    key = column.order if callable(column.order) else column.cell
    present = [row for row in rows if key(row) not in (None, "")]
    blank = [row for row in rows if key(row) in (None, "")]
    return (
        sorted(present, key=lambda row: _comparable(key(row)), reverse=descending)
        + blank
    )


def _comparable(value: Any) -> Any:
    """Text sorts without regard to case; other values as they are."""
    return value.lower() if isinstance(value, str) else value


def page_number(request: HttpRequest) -> int:
    text = request.GET.get(PAGE) or "1"
    if not text.isdigit() or len(text) > 9 or int(text) < 1:
        raise BadRequest(f"{text[:20]!r} is not a page number.")
    return int(text)


def paginate(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    columns: Sequence[Column],
    *,
    default_sort: str,
    per_page: int = PER_PAGE,
) -> Listing:
    """The requested page of ``rows``, sorted as the URL asks."""
    column, descending = sort_of(request, columns, default_sort)
    ordered = sorted_rows(rows, column, descending)
    number = page_number(request)
    paginator = Paginator(ordered, per_page)
    try:
        page = paginator.page(number)
    except EmptyPage:
        raise BadRequest(
            f"There is no page {number}: this list has {paginator.num_pages} "
            f"page{'s' if paginator.num_pages != 1 else ''}."
        ) from None
    params = request.GET.copy()
    params.pop(PAGE, None)
    params.pop(FORMAT, None)
    return Listing(page, columns, column.key, descending, params)


def wants_download(request: HttpRequest) -> str | None:
    """``csv`` or ``xlsx`` when the URL asks for a download; 400 for another."""
    fmt = request.GET.get(FORMAT)
    if fmt is None:
        return None
    if fmt not in FORMATS:
        raise BadRequest(f"Downloads are CSV or XLSX, not {fmt[:20]!r}.")
    return fmt


def download(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    columns: Sequence[Column],
    *,
    fmt: str,
    filename: str,
    default_sort: str,
) -> HttpResponse:
    """Every matching row (not only the page), in the page's order, as CSV or XLSX.
    The calling view records the export in the change record (what was exported,
    with which filters): it knows whether the rows are sensitive."""
    column, descending = sort_of(request, columns, default_sort)
    ordered = sorted_rows(rows, column, descending)
    if isinstance(ordered, QuerySet):
        ordered = ordered.iterator(chunk_size=2000)
    wanted = [c for c in columns if c.exported]
    header = [c.key for c in wanted]
    cells = ([_cell(c.cell(row)) for c in wanted] for row in ordered)
    stem = f"{filename}.{fmt}"
    if fmt == "csv":
        return csv_response(stem, header, cells)
    return xlsx_response(stem, header, cells)


def _cell(value: Any) -> Any:
    """Files hold ISO dates (pages show US dates) and plain numbers."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, (dt.date, int, float, Decimal)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def filters_used(params: QueryDict | Iterable[tuple[str, str]]) -> list[str]:
    """The names of the filters given (never their values: search words may name a
    subject), for the change record's message about an export or a view."""
    items = params.items() if isinstance(params, QueryDict) else params
    return sorted(
        {name for name, value in items if value and name not in (PAGE, FORMAT)}
    )
