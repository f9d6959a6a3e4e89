"""``accdesk import terminals FILE --agency ORI``: the terminal inventory from a
spreadsheet (docs/formats.md). All or nothing, keyed by ``terminal`` (the mnemonic,
in capitals); a site named in the file that is not on file yet is added."""

from __future__ import annotations

from typing import Any

from accdesk.agency.models import Agency
from accdesk.core.imports import ImportFormat, ImportResult, Row, upsert
from accdesk.lib.tabular import (
    CellError,
    Cells,
    parse_bool,
    parse_choice,
    parse_date,
    parse_text,
)
from accdesk.terminals.models import Site, Terminal

HEADER = (
    "terminal",
    "type",
    "site",
    "host",
    "public_view",
    "status",
    "unit",
    "retired_date",
)
TYPES = {
    **{t.value: t.value for t in Terminal.Type},
    **{t.label.lower(): t.value for t in Terminal.Type},
    "mobile": Terminal.Type.MDC,
    "mdt": Terminal.Type.MDC,
    "mdc": Terminal.Type.MDC,
}
STATUSES = {s.value: s.value for s in Terminal.Status} | {"inactive": "retired"}
FIELDS = (
    "terminal_type",
    "site_id",
    "host",
    "public_view",
    "status",
    "unit",
    "retired_date",
)


def parse(raw: dict[str, str]) -> dict[str, Any]:
    cells = Cells(raw)
    values: dict[str, Any] = {
        "terminal": cells(parse_text, "terminal", max_length=40),
        "terminal_type": cells(parse_choice, "type", choices=TYPES),
        "site_name": cells(parse_text, "site", required=False, max_length=120),
        "host": cells(parse_text, "host", required=False, max_length=120),
        "public_view": cells(parse_bool, "public_view", default=False),
        "status": cells(parse_choice, "status", choices=STATUSES),
        "unit": cells(parse_text, "unit", required=False, max_length=120),
        "retired_date": cells(parse_date, "retired_date", required=False),
    }

    def dated_as_its_status_says() -> None:
        retired = values["status"] == Terminal.Status.RETIRED
        if retired and values["retired_date"] is None:
            raise CellError("retired_date", "a retired terminal needs its retired date")
        if values["status"] == Terminal.Status.ACTIVE and values["retired_date"]:
            raise CellError("retired_date", "an active terminal has no retired date")

    cells.check(("status", "retired_date"), dated_as_its_status_says)
    cells.done()
    values["terminal"] = values["terminal"].upper()
    return values


def apply(agency: Agency, rows: list[Row], result: ImportResult) -> None:
    sites = {s.name.casefold(): s for s in Site.objects.filter(agency=agency)}
    for row in rows:
        name = row.values["site_name"]
        if not name:
            row.values["site_id"] = None
            continue
        site = sites.get(name.casefold())
        if site is None:
            site = Site.objects.create(agency=agency, name=name)
            sites[name.casefold()] = site
            result.notes.append(
                f"row {row.number}: site {name!r} added (complete its details on the "
                "site's page)"
            )
        row.values["site_id"] = site.pk
    upsert(Terminal, agency, rows, result, key=("terminal",), fields=FIELDS)


TERMINALS = ImportFormat(
    name="terminals",
    label="Terminal inventory",
    required=HEADER,
    optional=(),
    key=("terminal",),
    parse=parse,
    apply=apply,
    example={
        "terminal": "LKM001",
        "type": "workstation",
        "site": "Main Station",
        "host": "10.20.1.11",
        "public_view": "no",
        "status": "active",
        "unit": "Records",
        "retired_date": "",
    },
)
