from __future__ import annotations

import pytest

from accdesk.lib import exports
from accdesk.lib.exports import csv_response, static_file_for


def test_csv_response_streams_a_header_and_rows():
    response = csv_response("x.csv", ["a", "b"], [(1, None), ("q,r", 2)])
    body = b"".join(response.streaming_content).decode()
    assert body == 'a,b\r\n1,\r\n"q,r",2\r\n'
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


@pytest.mark.django_db
def test_render_pdf_makes_a_pdf_with_the_stylesheet(monkeypatch):
    fetched = []

    def spy(url):
        fetched.append(url)
        return static_file_for(url)

    monkeypatch.setattr(exports, "static_file_for", spy)
    pdf = exports.render_pdf("403.html", {})
    assert pdf.startswith(b"%PDF")
    assert fetched == [exports.PDF_BASE + "static/css/app.css"]


def test_only_static_files_are_fetched():
    assert static_file_for(exports.PDF_BASE + "static/css/app.css").endswith("app.css")
    assert static_file_for("https://example.org/tracker.png") is None


def test_csv_cells_cannot_run_as_spreadsheet_formulas():
    rows = [("=1+1",), ("-2+3",), (-2,), ("@SUM(A1)",), ("+1 555 0100",), ("plain",)]
    response = csv_response("x.csv", ["a"], rows)
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines() == [
        "a",
        "'=1+1",
        "'-2+3",
        "-2",
        "'@SUM(A1)",
        "'+1 555 0100",
        "plain",
    ]
