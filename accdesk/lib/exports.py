"""HTTP responses and files for exports: CSV (streamed), XLSX and PDF (WeasyPrint,
from the same template as the page). The calling view records the export in the
change record.

Every CSV and XLSX the app writes goes through ``spreadsheet_safe``: the one place
that keeps a cell from running as a formula in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string


class _Echo:
    def write(self, value: str) -> str:
        return value


# OWASP "CSV injection": a cell starting with one of these runs as a formula when
# the file is opened in a spreadsheet; an apostrophe makes it plain text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(row: Sequence[Any]) -> list[Any]:
    """A CSV row with blanks for None and no text that could run as a formula."""
    return [
        "'" + value
        if isinstance(value, str) and value.startswith(_FORMULA_START)
        else ""
        if value is None
        else value
        for value in row
    ]


def write_csv(handle: Any, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a CSV file (for commands); returns the number of rows."""
    writer = csv.writer(handle)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(spreadsheet_safe(row))
        count += 1
    return count


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """Stream rows as a CSV download, without holding them all in memory."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(spreadsheet_safe(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(
    handle: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write one sheet (header, then rows) to ``handle``; returns the row count.
    Dates stay dates; text is neutralised as in CSV files."""
    from openpyxl import Workbook  # only needed for .xlsx files

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(list(header))
    count = 0
    for row in rows:
        sheet.append(spreadsheet_safe(row))
        count += 1
    book.save(handle)
    return count


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    buffer = io.BytesIO()
    write_xlsx(buffer, header, rows)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def render_pdf(
    template: str,
    context: dict[str, Any],
    request: HttpRequest | None = None,
    *,
    landscape: bool = False,
    paper: str | None = None,
) -> bytes:
    """Render a template to PDF bytes, on ``paper`` (``settings.PAPER_SIZE`` by
    default: letter or A4; the print CSS fits both). Static files (the
    stylesheet) are read from disk through the staticfiles finders; nothing is
    fetched over the network."""
    return pdf_document(
        template, context, request, landscape=landscape, paper=paper
    ).write_pdf()


def pdf_document(
    template: str,
    context: dict[str, Any],
    request: HttpRequest | None = None,
    *,
    landscape: bool = False,
    paper: str | None = None,
) -> Any:
    """The laid-out WeasyPrint document (``render_pdf`` writes it; tests check
    that nothing runs off the page)."""
    from weasyprint import CSS, HTML  # imported late: it loads pango at import time

    html = render_to_string(template, context, request=request)
    size = f"{paper or settings.PAPER_SIZE} {'landscape' if landscape else 'portrait'}"
    return HTML(string=html, base_url=PDF_BASE, url_fetcher=_static_fetcher()).render(
        stylesheets=[CSS(string=f"@page {{ size: {size}; }}")]
    )


def pdf_response(
    filename: str,
    template: str,
    context: dict[str, Any],
    request: HttpRequest | None = None,
    *,
    landscape: bool = False,
) -> HttpResponse:
    response = HttpResponse(
        render_pdf(template, context, request, landscape=landscape),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Relative URLs in the page resolve against this made-up origin, which the fetcher
# maps onto the static files on disk.
PDF_BASE = "https://accdesk.invalid/"
_MIME = {"css": "text/css", "svg": "image/svg+xml", "png": "image/png"}


def static_file_for(url: str) -> str | None:
    """The path on disk of a static file the PDF asks for, or None."""
    prefix = PDF_BASE + settings.STATIC_URL.lstrip("/")
    if not url.startswith(prefix):
        return None
    found = finders.find(url[len(prefix) :])
    return found if isinstance(found, str) else None


def _static_fetcher():  # noqa: ANN202 - a weasyprint URLFetcher
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = static_file_for(url)
            if path is None:
                raise ValueError(
                    f"PDF rendering fetches static files only, not {url!r}"
                )
            with open(path, "rb") as handle:
                body = handle.read()
            mime = _MIME.get(path.rsplit(".", 1)[-1], "application/octet-stream")
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    return StaticFetcher()
