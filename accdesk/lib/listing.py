"""Lists an ACC can live in: one page of rows at a time, sorted by any column, with
the filters, period and sort kept in the URL, and the same rows as a download.

A view describes its columns once and reads its filters with ``read_filters``;
``paginate`` sorts and cuts the page (only the page is rendered, whatever the
length of the list), and ``download`` writes every matching row -- filters
applied -- as CSV or XLSX through the one spreadsheet writer (``lib/exports.py``).
The templates ``_list_head.html``, ``_pagination.html`` and ``_downloads.html``
draw the header, the page links and the download links.

Rows are a queryset (sorted and cut by the database), a list (sorted in Python:
lists computed in memory, such as the worklist), or a ``Source`` (sorted and cut
elsewhere, such as a DuckDB query over the query-log archive).

Bad parameters (a filter that does not validate, an unknown sort key, a page that
is not a positive number or does not exist, an address longer than a list needs)
are a 400 with a plain message, never a 500 (issue 11).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any, Protocol

from django import forms
from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import CharField, F, QuerySet, TextField, Value
from django.db.models.functions import NullIf
from django.http import HttpRequest, HttpResponse, QueryDict

from accdesk.lib.exports import csv_response, xlsx_response

PER_PAGE = 50
SORT, PAGE, FORMAT = "sort", "page", "format"
FORMATS = ("csv", "xlsx")
# Filters and a sort fit in a few hundred characters; a longer address is not a
# list's (and would be repeated in every link of the page).
MAX_QUERY = 2048
# The dates a date filter accepts: further out, date arithmetic overflows
# (``date.max + 1 day``) and no record of an agency is dated there anyway.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


class DateFilter(forms.DateField):
    """An optional ``YYYY-MM-DD`` date filter within ``EARLIEST``..``LATEST``."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                f"Enter a date between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}."
            )


@dataclass(frozen=True)
class Column:
    """One column of a list.

    - ``key``: the sort key in the URL (``?sort=key``, ``?sort=-key`` descending)
      and the column's header in downloads.
    - ``order``: for a queryset, the field or expression to order by (default
      ``key``; ``-field`` reverses it); for a list of objects, a function giving
      the sort value; for a ``Source``, the name it sorts by (default ``key``).
    - ``value``: the cell of a download (default: the attribute or item ``key``).
    - ``sortable``: False for a column with no meaningful order.
    - ``exported``: False for a column that only the page has (a button).

    A page may show fewer columns, or in another order, than its download holds:
    give ``paginate`` and ``download`` each their list, with the same keys for the
    columns both have (the sort is the same on the page and in the file).
    """

    key: str
    label: str
    order: Any = None
    value: Callable[[Any], Any] | None = None
    sortable: bool = True
    exported: bool = True

    def cell(self, row: Any) -> Any:
        if self.value is not None:
            return self.value(row)
        if isinstance(row, dict):
            return row.get(self.key)
        return attrgetter(self.key)(row)


class Source(Protocol):
    """Rows sorted and cut by someone else (a DuckDB query). ``order`` is a
    column's ``order`` (or its key when it has none)."""

    def page(
        self, order: str, descending: bool, limit: int, offset: int
    ) -> tuple[int, list[Any]]:
        """How many rows match in all, and ``limit`` of them from ``offset``: one
        query for a page, whatever the length of the list."""
        ...

    def rows(self, order: str, descending: bool) -> Iterable[Any]:
        """Every matching row, read as it is written out (a download)."""
        ...

    def count(self) -> int: ...


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
    params: QueryDict  # the request's filters and sort, without the page

    def __iter__(self):  # noqa: ANN204 - the rows of the page
        return iter(self.page)

    @property
    def count(self) -> int:
        """How many rows match, on every page."""
        return self.page.paginator.count

    @property
    def query(self) -> str:
        """The filters and sort, for links (``?{{ query }}&page=2``)."""
        return self.params.urlencode()

    def page_url(self, number: int) -> str:
        params = self.params.copy()
        if number > 1:
            params[PAGE] = str(number)
        return f"?{params.urlencode()}"

    @property
    def pages(self) -> dict[str, str]:
        """Links to the first, previous, next and last pages, where there are."""
        page, last = self.page, self.page.paginator.num_pages
        links = {}
        if page.has_previous():
            links["first"] = self.page_url(1)
            links["previous"] = self.page_url(page.previous_page_number())
        if page.has_next():
            links["next"] = self.page_url(page.next_page_number())
            links["last"] = self.page_url(last)
        return links

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


# -- Reading the URL -------------------------------------------------------------------


def check_query(request: HttpRequest) -> None:
    """400 for an address far longer than any list's filters need."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY:
        raise BadRequest(
            f"This address is too long ({len(request.META['QUERY_STRING']):,} "
            f"characters after the “?”; a list takes at most {MAX_QUERY:,})."
        )


def read_filters(request: HttpRequest, form: forms.Form) -> dict[str, Any]:
    """The cleaned values of a filter form bound to ``request.GET``; 400 naming
    each filter that does not validate (a list is never shown unfiltered when a
    filter was asked for)."""
    check_query(request)
    if form.is_valid():
        return form.cleaned_data
    problems = []
    for name, errors in form.errors.items():
        label = form.fields[name].label or name.replace("_", " ").capitalize()
        problems.append(f"{label}: {' '.join(errors)}")
    raise BadRequest(("Check the filters. " + " ".join(problems))[:500])


def filter_params(request: HttpRequest, filters: Iterable[str] | None) -> QueryDict:
    """The filters (those named in ``filters``; every parameter but the page and
    format when ``None``) and the sort, as given: what page links keep."""
    params = request.GET.copy()
    wanted = None if filters is None else {*filters, SORT}
    for name in list(params):
        if name in (PAGE, FORMAT) or (wanted is not None and name not in wanted):
            del params[name]
        elif not any(params.getlist(name)):
            del params[name]  # an empty filter from a submitted form: no filter
    return params


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


def page_number(request: HttpRequest) -> int:
    text = request.GET.get(PAGE) or "1"
    # isascii: "²".isdigit() holds, but int("²") fails.
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or int(text) < 1:
        raise BadRequest(f"{text[:20]!r} is not a page number.")
    return int(text)


# -- Sorting and cutting ---------------------------------------------------------------


class _Fetched:
    """One page of a ``Source``, as the ``Paginator`` reads a list: its length
    (every matching row) and the slice of the page, fetched already."""

    def __init__(self, total: int, rows: list[Any]) -> None:
        self.total, self.rows = total, rows

    def count(self) -> int:
        return self.total

    def __getitem__(self, cut: slice) -> list[Any]:
        return self.rows


def sorted_rows(
    rows: QuerySet[Any] | Sequence[Any] | Source, column: Column, descending: bool
) -> QuerySet[Any] | list[Any] | Iterable[Any]:
    """Rows in the column's order; ties keep a stable order (the primary key for
    a queryset, the given order for a list). Blanks sort last either way. A
    ``Source`` gives every row (for a download; ``paginate`` asks it for a page)."""
    if isinstance(rows, QuerySet):
        order = column.order if column.order is not None else column.key
        reverse = descending
        if isinstance(order, str):
            reverse = descending != order.startswith("-")
            order = F(order.removeprefix("-"))
        if text := _text_field(rows, order):
            # A blank text sorts with the NULLs.
            order = NullIf(order, Value(""), output_field=text)
        ordered = order.desc(nulls_last=True) if reverse else order.asc(nulls_last=True)
        return rows.order_by(ordered, "-pk" if reverse else "pk")
    if not isinstance(rows, Sequence):
        return rows.rows(column.order or column.key, descending)
    key = column.order if callable(column.order) else column.cell
    keyed = [(key(row), row) for row in rows]
    present = [(k, row) for k, row in keyed if k not in (None, "", [], ())]
    present.sort(key=lambda pair: _comparable(pair[0]), reverse=descending)
    return [row for _, row in present] + [
        row for k, row in keyed if k in (None, "", [], ())
    ]


def _text_field(rows: QuerySet[Any], order: Any) -> CharField | TextField | None:
    """The text field ``order`` gives, or None when it gives something else."""
    field = order.resolve_expression(rows.all().query).output_field
    return field if isinstance(field, (CharField, TextField)) else None


def _comparable(value: Any) -> Any:
    """Text sorts without regard to case; other values as they are."""
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, (list, tuple)):
        return tuple(_comparable(v) for v in value)
    return value


def row_count(rows: QuerySet[Any] | Sequence[Any] | Source) -> int:
    if isinstance(rows, QuerySet) or not isinstance(rows, Sequence):
        return rows.count()
    return len(rows)


def paginate(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any] | Source,
    columns: Sequence[Column],
    *,
    default_sort: str,
    filters: Iterable[str] | None = None,
    per_page: int = PER_PAGE,
) -> Listing:
    """The requested page of ``rows``, sorted as the URL asks; page and header
    links keep the parameters named in ``filters`` (e.g. a filter form's
    ``fields``) and the sort."""
    check_query(request)
    column, descending = sort_of(request, columns, default_sort)
    number = page_number(request)
    if isinstance(rows, (QuerySet, Sequence)):
        paginator = Paginator(sorted_rows(rows, column, descending), per_page)
    else:
        total, found = rows.page(
            column.order or column.key, descending, per_page, (number - 1) * per_page
        )
        paginator = Paginator(_Fetched(total, found), per_page)
    try:
        page = paginator.page(number)
    except EmptyPage:
        raise BadRequest(
            f"There is no page {number}: this list has {paginator.num_pages} "
            f"page{'s' if paginator.num_pages != 1 else ''}."
        ) from None
    return Listing(
        page, columns, column.key, descending, filter_params(request, filters)
    )


# -- Downloads ---------------------------------------------------------------------


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
    rows: QuerySet[Any] | Sequence[Any] | Source,
    columns: Sequence[Column],
    *,
    fmt: str,
    filename: str,
    default_sort: str,
) -> HttpResponse:
    """Every matching row (not only the page), in the page's order, as CSV or XLSX.
    The calling view records the export in the change record (what was exported,
    with which filters; ``core.downloads`` does both)."""
    check_query(request)
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
        {name for name, value in items if value and name not in (PAGE, FORMAT, SORT)}
    )
