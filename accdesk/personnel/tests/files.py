"""Import helpers for the tests: run a format over text, or build an .xlsx file."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook

from accdesk.core.imports import ImportResult, run_import
from accdesk.personnel.imports import FORMATS


def run(
    kind: str, agency: Any, text: str | bytes, name: str = "", **kw: Any
) -> ImportResult:
    data = text.encode() if isinstance(text, str) else text
    return run_import(
        FORMATS[kind], io.BytesIO(data), name or f"{kind}.csv", agency, **kw
    )


def errors(result: ImportResult) -> list[str]:
    return [str(e) for e in result.errors]


def xlsx(rows: list[list[Any]]) -> bytes:
    """A workbook whose first sheet holds ``rows`` (dates as real date cells)."""
    book = Workbook()
    for row in rows:
        book.active.append(
            [
                dt.datetime.combine(v, dt.time()) if isinstance(v, dt.date) else v
                for v in row
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
