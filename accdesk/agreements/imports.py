"""``accdesk import agreements FILE --agency ORI``: the agreements on file, from a
spreadsheet (docs/formats.md). All or nothing, keyed by ``reference`` (importing
again updates). Kinds are data -- the standard ones and the agency's own -- so a
row's kind, and what the kind needs (the other party's ORI, a vendor, an employee
ID), are checked in ``apply``, where the agency is known.
"""

from __future__ import annotations

from typing import Any

from accdesk.agency.models import ORI_PATTERN, Agency, normalize_ori
from accdesk.agreements.kinds import MCA_GOVERNMENT
from accdesk.agreements.models import Agreement, Status, Vendor, kinds_for
from accdesk.core.imports import ImportFormat, ImportResult, Row, upsert
from accdesk.lib.tabular import CellError, Cells, parse_choice, parse_date, parse_text

HEADER = (
    "reference",
    "kind",
    "party",
    "party_ori",
    "vendor",
    "signatory",
    "signatory_title",
    "signed_date",
    "effective_date",
    "expiry_date",
    "status",
)
STATUSES = {
    **{s.value: s.value for s in Status},
    **{s.label.lower(): s.value for s in Status},
    "in force": Status.IN_FORCE,
    "active": Status.IN_FORCE,
}
FIELDS = (
    "kind_id",
    "party",
    "party_ori",
    "vendor_id",
    "employee_id",
    "signatory",
    "signatory_title",
    "signed_date",
    "effective_date",
    "expiry_date",
    "status",
)


def parse(raw: dict[str, str]) -> dict[str, Any]:
    cells = Cells(raw)
    values: dict[str, Any] = {
        "reference": cells(parse_text, "reference", max_length=60),
        "kind_code": cells(parse_text, "kind", max_length=40),
        "party": cells(parse_text, "party", required=False, max_length=200),
        "party_ori": normalize_ori(raw.get("party_ori", "")),
        "vendor_name": cells(parse_text, "vendor", required=False, max_length=120),
        "signatory": cells(parse_text, "signatory", required=False, max_length=120),
        "signatory_title": cells(
            parse_text, "signatory_title", required=False, max_length=120
        ),
        "signed_date": cells(parse_date, "signed_date", required=False),
        "effective_date": cells(parse_date, "effective_date", required=False),
        "expiry_date": cells(parse_date, "expiry_date", required=False),
        "status": cells(parse_choice, "status", choices=STATUSES),
        "employee_id": cells(parse_text, "employee_id", required=False, max_length=40),
    }

    def an_ori() -> None:
        if values["party_ori"] and not ORI_PATTERN.match(values["party_ori"]):
            raise CellError(
                "party_ori",
                f"{values['party_ori']!r} is not an ORI (9 characters: a two-letter "
                "state code and 7 letters or digits)",
            )

    def signed_unless_draft() -> None:
        if values["status"] != Status.DRAFT and values["signed_date"] is None:
            raise CellError("signed_date", "a signed date is required unless draft")

    cells.check(("party_ori",), an_ori)
    cells.check(("status", "signed_date"), signed_unless_draft)
    for first, then in (
        ("signed_date", "expiry_date"),
        ("effective_date", "expiry_date"),
    ):
        cells.check(
            (first, then), lambda first=first, then=then: _ordered(values, first, then)
        )
    cells.done()
    values["kind_code"] = values["kind_code"].lower()
    return values


def _ordered(values: dict[str, Any], first: str, then: str) -> None:
    if values[first] and values[then] and values[then] < values[first]:
        raise CellError(then, f"is before {first} ({values[first]})")


def _check_kind(row: Row, kind: Any, result: ImportResult) -> None:
    values = row.values
    if kind.needs_party_ori and not values["party_ori"]:
        result.error(row.number, "party_ori", f"required for kind {kind.code!r}")
    if kind.needs_vendor and not values["vendor_name"]:
        result.error(row.number, "vendor", f"required for kind {kind.code!r}")
    if kind.per_employee and not values["employee_id"]:
        result.error(row.number, "employee_id", f"required for kind {kind.code!r}")


def apply(agency: Agency, rows: list[Row], result: ImportResult) -> None:
    kinds = {k.code: k for k in kinds_for(agency).order_by("agency_id")}
    for row in rows:
        kind = kinds.get(row.values["kind_code"])
        if kind is None:
            result.error(
                row.number,
                "kind",
                f"unknown kind {row.values['kind_code']!r}; expected one of: "
                + ", ".join(sorted(kinds)),
            )
            continue
        _check_kind(row, kind, result)
        row.values["kind_id"] = kind.pk
    if not result.ok:
        return
    vendors = {v.name.casefold(): v for v in Vendor.objects.filter(agency=agency)}
    for row in rows:
        name = row.values["vendor_name"]
        if not name:
            row.values["vendor_id"] = None
            continue
        vendor = vendors.get(name.casefold())
        if vendor is None:
            # A vendor named in the file is added: a government one for HDC 0004A,
            # a private one otherwise (HDC 0004B and 0012 are for private ones).
            private = row.values["kind_code"] != MCA_GOVERNMENT
            vendor = Vendor.objects.create(agency=agency, name=name, private=private)
            vendors[name.casefold()] = vendor
            result.notes.append(
                f"row {row.number}: vendor {name!r} added "
                f"({'private' if private else 'government'})"
            )
        row.values["vendor_id"] = vendor.pk
    upsert(
        Agreement,
        agency,
        rows,
        result,
        key=("reference",),
        fields=FIELDS,
    )


AGREEMENTS = ImportFormat(
    name="agreements",
    label="Agreements",
    required=HEADER,
    optional=("employee_id",),
    key=("reference",),
    parse=parse,
    apply=apply,
    example={
        "reference": "SA-2024",
        "kind": "hdc_0001",
        "party": "California Department of Justice",
        "party_ori": "",
        "vendor": "",
        "signatory": "Dana Whitfield",
        "signatory_title": "Chief of Police",
        "signed_date": "2024-03-01",
        "effective_date": "2024-03-01",
        "expiry_date": "",
        "status": "in_force",
        "employee_id": "",
    },
)
