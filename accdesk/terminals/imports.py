"""``accdesk import terminals FILE --agency ORI``: the terminal inventory from a
spreadsheet (docs/formats.md). All or nothing, keyed by ``terminal`` (the mnemonic,
in capitals); a site named in the file that is not on file yet is added."""

from __future__ import annotations

from typing import Any

from accdesk.agency.models import Agency
from accdesk.core.imports import ImportFormat, ImportResult, Row, upsert
from accdesk.lib.tabular import (
    CellError,
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
    values: dict[str, Any] = {
        "terminal": parse_text(raw, "terminal", max_length=40).upper(),
        "terminal_type": parse_choice(raw, "type", TYPES),
        "site_name": parse_text(raw, "site", required=False, max_length=120),
        "host": parse_text(raw, "host", required=False, max_length=120),
        "public_view": parse_bool(raw, "public_view", default=False),
        "status": parse_choice(raw, "status", STATUSES),
        "unit": parse_text(raw, "unit", required=False, max_length=120),
        "retired_date": parse_date(raw, "retired_date", required=False),
    }
    if values["status"] == Terminal.Status.RETIRED and values["retired_date"] is None:
        raise CellError("retired_date", "a retired terminal needs its retired date")
    if values["status"] == Terminal.Status.ACTIVE and values["retired_date"]:
        raise CellError("retired_date", "an active terminal has no retired date")
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
)
