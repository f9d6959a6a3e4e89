"""Lists: sorted, paginated and downloaded as the URL says; bad parameters are a
400 with a plain message."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import BadRequest
from django.test import RequestFactory
from openpyxl import load_workbook

from accdesk.agency.models import Agency
from accdesk.lib.listing import Column, download, paginate, wants_download
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
