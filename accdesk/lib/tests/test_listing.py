"""Lists: sorted, paginated and downloaded as the URL says; bad parameters are a
400 with a plain message."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django import forms
from django.core.exceptions import BadRequest
from django.test import RequestFactory
from openpyxl import load_workbook

from accdesk.agency.models import Agency
from accdesk.lib.listing import (
    Column,
    DateFilter,
    download,
    filters_used,
    paginate,
    read_filters,
    wants_download,
)
from accdesk.testing import make_agency

COLUMNS = [
    Column("name", "Name"),
    Column("ori", "ORI"),
    Column("edit", "", sortable=False, exported=False),
]
ROWS = [
    {"name": "bravo", "due": dt.date(2026, 1, 2), "edit": ""},
    {"name": "Alpha", "due": None, "edit": ""},
    {"name": "charlie", "due": dt.date(2026, 1, 1), "edit": ""},
]
ROW_COLUMNS = [Column("name", "Name"), Column("due", "Due")]


def get(query: str = ""):
    return RequestFactory().get(f"/list/?{query}")


@pytest.mark.django_db
def test_it_sorts_a_queryset_by_the_column_asked_for():
    for name in ("Bravo PD", "Alpha PD", "Charlie PD"):
        make_agency(name=name)
    listing = paginate(
        get("sort=-name"), Agency.objects.all(), COLUMNS, default_sort="ori"
    )
    assert [a.name for a in listing] == ["Charlie PD", "Bravo PD", "Alpha PD"]
    assert listing.sort == "name" and listing.descending


@pytest.mark.django_db
def test_it_shows_50_rows_a_page_and_keeps_the_filters_in_page_links():
    for n in range(51):
        make_agency(name=f"Agency {n:02d}")
    listing = paginate(
        get("q=x&sort=name&page=2"), Agency.objects.all(), COLUMNS, default_sort="name"
    )
    assert [a.name for a in listing] == ["Agency 50"]
    assert listing.query == "q=x&sort=name"


def test_it_sorts_a_list_case_blind_with_blanks_last_either_way():
    ascending = paginate(get("sort=name"), ROWS, ROW_COLUMNS, default_sort="name")
    assert [r["name"] for r in ascending] == ["Alpha", "bravo", "charlie"]
    by_due = paginate(get("sort=-due"), ROWS, ROW_COLUMNS, default_sort="name")
    assert [r["name"] for r in by_due] == ["bravo", "charlie", "Alpha"]


def test_the_sort_column_header_turns_the_direction_round():
    listing = paginate(get("sort=name&q=a"), ROWS, ROW_COLUMNS, default_sort="name")
    name, due = listing.headers
    assert name.aria_sort == "ascending" and name.url == "?sort=-name&q=a"
    assert due.aria_sort == "" and due.url == "?sort=due&q=a"


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        f"page={10**12}",
        "page=9",
        "sort=nope",
        "sort=edit",
    ],
)
def test_bad_parameters_are_a_bad_request(query):
    with pytest.raises(BadRequest):
        paginate(get(query), ROWS, COLUMNS[:2], default_sort="name")


def test_an_unknown_download_format_is_a_bad_request():
    assert wants_download(get("format=csv")) == "csv"
    assert wants_download(get()) is None
    with pytest.raises(BadRequest):
        wants_download(get("format=pdf"))


def test_a_csv_download_has_every_row_in_order_and_no_live_formulas():
    rows = [*ROWS, {"name": "=HYPERLINK(1)", "due": None}]
    response = download(
        get("sort=name"),
        rows,
        ROW_COLUMNS,
        fmt="csv",
        filename="x",
        default_sort="name",
    )
    body = b"".join(response.streaming_content).decode()
    lines = list(csv.reader(io.StringIO(body)))
    assert lines[0] == ["name", "due"]
    assert lines[1:] == [
        ["'=HYPERLINK(1)", ""],
        ["Alpha", ""],
        ["bravo", "2026-01-02"],
        ["charlie", "2026-01-01"],
    ]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_an_xlsx_download_keeps_dates_and_leaves_out_page_only_columns():
    rows = [{"name": "+1", "due": dt.date(2026, 1, 2), "edit": "button"}]
    columns = [*ROW_COLUMNS, Column("edit", "", sortable=False, exported=False)]
    response = download(
        get(), rows, columns, fmt="xlsx", filename="x", default_sort="name"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0] == ("name", "due")
    assert values[1][0] == "'+1"
    assert values[1][1].date() == dt.date(2026, 1, 2)


# -- Filters, sources, links ------------------------------------------------------


class _Filters(forms.Form):
    q = forms.CharField(required=False, max_length=5)
    day = DateFilter(label="Day")


def test_filters_that_do_not_validate_are_a_bad_request_naming_them():
    with pytest.raises(BadRequest, match="Day: Enter a date between 1900-01-01"):
        read_filters(get("day=9999-12-31"), _Filters(get("day=9999-12-31").GET))
    with pytest.raises(BadRequest, match="Q: Ensure this value"):
        read_filters(get("q=toolong"), _Filters(get("q=toolong").GET))
    assert read_filters(get("day=2026-01-02"), _Filters(get("day=2026-01-02").GET)) == {
        "q": "",
        "day": dt.date(2026, 1, 2),
    }


def test_an_address_longer_than_a_list_needs_is_a_bad_request():
    with pytest.raises(BadRequest, match="too long"):
        paginate(get("q=" + "x" * 3000), ROWS, ROW_COLUMNS, default_sort="name")


def test_links_keep_the_named_filters_and_the_sort_only():
    request = get("q=a&junk=1&empty=&sort=-due&page=1&format=csv")
    listing = paginate(request, ROWS, ROW_COLUMNS, default_sort="name", filters=["q"])
    assert listing.query == "q=a&sort=-due"
    assert listing.page_url(1) == "?q=a&sort=-due"
    assert listing.page_url(3) == "?q=a&sort=-due&page=3"
    assert filters_used(listing.params) == ["q"]


class _Numbers:
    """A ``Source`` of 0..119, counting the queries it answers."""

    def __init__(self):
        self.queries = []

    def page(self, order, descending, limit, offset):
        self.queries.append((order, descending, limit, offset))
        rows = sorted(range(120), reverse=descending)
        return 120, rows[offset : offset + limit]

    def rows(self, order, descending):
        return iter(sorted(range(120), reverse=descending))

    def count(self):
        return 120


def test_a_source_is_asked_for_one_page_in_one_query():
    source = _Numbers()
    columns = [Column("n", "N", value=lambda n: n)]
    listing = paginate(get("sort=-n&page=2"), source, columns, default_sort="n")
    assert list(listing) == list(range(69, 19, -1))
    assert source.queries == [("n", True, 50, 50)]
    assert listing.count == 120 and listing.pages["last"] == "?sort=-n&page=3"
    with pytest.raises(BadRequest, match="There is no page 4"):
        paginate(get("page=4"), source, columns, default_sort="n")


def test_a_source_downloads_every_row_in_order():
    columns = [Column("n", "N", value=lambda n: n)]
    response = download(
        get("sort=n"), _Numbers(), columns, fmt="csv", filename="n", default_sort="n"
    )
    body = b"".join(response.streaming_content).decode().split()
    assert body[0] == "n" and body[1:] == [str(n) for n in range(120)]


@pytest.mark.django_db
def test_blank_text_sorts_last_in_a_queryset_either_way():
    for name, phone in (("A PD", ""), ("B PD", "555-2"), ("C PD", "555-1")):
        make_agency(name=name, phone=phone)
    columns = [Column("phone", "Phone"), Column("name", "Name")]
    up = paginate(get("sort=phone"), Agency.objects.all(), columns, default_sort="name")
    down = paginate(
        get("sort=-phone"), Agency.objects.all(), columns, default_sort="name"
    )
    assert [a.name for a in up] == ["C PD", "B PD", "A PD"]
    assert [a.name for a in down] == ["B PD", "C PD", "A PD"]
