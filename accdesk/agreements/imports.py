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
from accdesk.lib.tabular import CellError, parse_choice, parse_date, parse_text

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
    values: dict[str, Any] = {
        "reference": parse_text(raw, "reference", max_length=60),
        "kind_code": parse_text(raw, "kind", max_length=40).lower(),
        "party": parse_text(raw, "party", required=False, max_length=200),
        "party_ori": normalize_ori(raw.get("party_ori", "")),
        "vendor_name": parse_text(raw, "vendor", required=False, max_length=120),
        "signatory": parse_text(raw, "signatory", required=False, max_length=120),
        "signatory_title": parse_text(
            raw, "signatory_title", required=False, max_length=120
        ),
        "signed_date": parse_date(raw, "signed_date", required=False),
        "effective_date": parse_date(raw, "effective_date", required=False),
        "expiry_date": parse_date(raw, "expiry_date", required=False),
        "status": parse_choice(raw, "status", STATUSES),
        "employee_id": parse_text(raw, "employee_id", required=False, max_length=40),
    }
    if values["party_ori"] and not ORI_PATTERN.match(values["party_ori"]):
        raise CellError(
            "party_ori",
            f"{values['party_ori']!r} is not an ORI (9 characters: a two-letter "
            "state code and 7 letters or digits)",
        )
    if values["status"] != Status.DRAFT and values["signed_date"] is None:
        raise CellError("signed_date", "a signed date is required unless draft")
    for first, then in (
        ("signed_date", "expiry_date"),
        ("effective_date", "expiry_date"),
    ):
        if values[first] and values[then] and values[then] < values[first]:
            raise CellError(then, f"is before {first} ({values[first]})")
    return values


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
)
