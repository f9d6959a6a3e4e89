"""Demo agreements of the Lakemont Police Department: fictional parties, dated from
today. In order: the Subscriber Agreement (signed by the chief), the SPOC agreement,
a county IT department's MCA. To put right: a CAD vendor with no MCA, a janitorial
contractor whose custodian has no Security Addendum (``ADDENDUM_MISSING`` on the
worklist), a reciprocity agreement past its expiry date, MCAs expiring soon."""

from __future__ import annotations

import datetime as dt

from accdesk.agency.models import Agency
from accdesk.agreements.models import Agreement, Topic, Vendor, kinds_for
from accdesk.evidence.demo import attach_pdf

ALL_TOPICS = list(Topic.values)


def load(agency: Agency, today: dt.date) -> None:
    if agency.agreements.exists():
        return
    kinds = {k.code: k for k in kinds_for(agency)}

    def days(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    county_it = Vendor.objects.create(
        agency=agency,
        name="Lakemont County IT",
        private=False,
        contact="Help desk (555) 010-7000",
    )
    janitorial = Vendor.objects.create(
        agency=agency,
        name="Brightline Janitorial",
        private=True,
        contact="Lee Park, owner",
    )
    Vendor.objects.create(
        agency=agency,
        name="Sierra CAD Systems",
        private=True,
        contact="support@sierracad.example",
        notes="CAD maintenance contract from next quarter; MCA not signed yet.",
    )
    rows = [
        (
            "SA-2019",
            "hdc_0001",
            {
                "signed": -7 * 365,
                "status": "superseded",
                "signatory": ("Ray Holt", "Chief of Police"),
            },
        ),
        (
            "SA-2023",
            "hdc_0001",
            {
                "signed": -3 * 365,
                "topics": ALL_TOPICS,
                "signatory": ("Dana Whitfield", "Chief of Police"),
                "party": "California Department of Justice",
            },
        ),
        (
            "SPOC-2023",
            "hdc_0011",
            {"signed": -3 * 365 + 5, "signatory": ("Kevin Osei", "IT Manager")},
        ),
        (
            "MCA-LCIT",
            "hdc_0004a",
            {
                "signed": -700,
                "expires": 25,
                "vendor": county_it,
                "signatory": ("Pat Moreno", "County CIO"),
            },
        ),
        (
            "MCA-BRIGHT",
            "hdc_0004b",
            {
                "signed": -400,
                "expires": 75,
                "vendor": janitorial,
                "signatory": ("Lee Park", "Owner"),
            },
        ),
        (
            "IA-LCSO-TERM",
            "interagency_terminal",
            {
                "signed": -500,
                "expires": 230,
                "party": "Lakemont County Sheriff",
                "ori": "CA0990100",
                "topics": ALL_TOPICS[:9],
                "signatory": ("Dana Whitfield", "Chief of Police"),
            },
        ),
        (
            "RECIP-LCDA",
            "reciprocity",
            {
                "signed": -3 * 365 - 10,
                "expires": -10,
                "party": "Lakemont County District Attorney",
                "ori": "CA0990013",
                "topics": ALL_TOPICS,
                "signatory": ("Dana Whitfield", "Chief of Police"),
            },
        ),
        (
            "CSAR-2024",
            "csar_user",
            {
                "signed": -600,
                "expires": 130,
                "party": "California Department of Justice",
                "topics": ["audit", "dissemination", "security", "training", "use"],
                "signatory": ("Dana Whitfield", "Chief of Police"),
            },
        ),
    ]
    made = {}
    for reference, code, spec in rows:
        signatory, title = spec["signatory"]
        made[reference] = Agreement.objects.create(
            agency=agency,
            reference=reference,
            kind=kinds[code],
            party=spec.get("party", ""),
            party_ori=spec.get("ori", ""),
            vendor=spec.get("vendor"),
            signatory=signatory,
            signatory_title=title,
            signed_date=days(spec["signed"]),
            effective_date=days(spec["signed"]),
            expiry_date=days(spec["expires"]) if "expires" in spec else None,
            status=spec.get("status", "in_force"),
            topics=spec.get("topics", []),
        )
    subscriber = made["SA-2023"]
    attach_pdf(
        agency,
        subscriber,
        title="CLETS Subscriber Agreement (HDC 0001), signed",
        lines=(
            "Lakemont Police Department, ORI CA0990000, agrees to abide by the CLETS "
            "Policies, Practices and Procedures (Government Code §15165).",
            f"Signed by Dana Whitfield, Chief of Police, on {subscriber.signed_date}.",
        ),
        kind="signed_copy",
        effective_date=subscriber.signed_date,
    )
    mca = made["MCA-BRIGHT"]
    attach_pdf(
        agency,
        mca,
        title="Private Contractor Management Control Agreement (HDC 0004B)",
        lines=(
            "Between Lakemont Police Department and Brightline Janitorial.",
            f"Signed by Lee Park, Owner, on {mca.signed_date}.",
        ),
        kind="signed_copy",
        effective_date=mca.signed_date,
        expiry_date=mca.expiry_date,
    )
