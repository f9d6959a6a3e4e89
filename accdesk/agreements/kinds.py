"""The standard kinds of agreement (domain brief §2.4, "Agreements and forms"), with
the rule each comes from. They are rows of ``AgreementKind`` with no agency, written
after every ``migrate`` (and test-database flush) by ``install_standard_kinds``;
an agency adds its own kinds beside them.
"""

from __future__ import annotations

from typing import Any

SUBSCRIBER = "hdc_0001"
MCA_GOVERNMENT = "hdc_0004a"
MCA_PRIVATE = "hdc_0004b"
SPOC_AGREEMENT = "hdc_0011"
SECURITY_ADDENDUM = "hdc_0012"

# code, name, form number, citation, and flags.
STANDARD: list[dict[str, Any]] = [
    {
        "code": SUBSCRIBER,
        "name": "CLETS Subscriber Agreement",
        "form_number": "HDC 0001",
        "citation": "Government Code §15165; CLETS PPP; signed by the agency head",
        "user_agreement": True,
    },
    {
        "code": MCA_GOVERNMENT,
        "name": "CLETS Contractor Management Control Agreement (government entity)",
        "form_number": "HDC 0004A",
        "citation": "CJISSECPOL v5.9.5 §5.1.1.4; CLETS PPP",
        "needs_vendor": True,
    },
    {
        "code": MCA_PRIVATE,
        "name": "CLETS Private Contractor Management Control Agreement",
        "form_number": "HDC 0004B",
        "citation": "CJISSECPOL v5.9.5 §5.1.1.5; CLETS PPP",
        "needs_vendor": True,
    },
    {
        "code": SPOC_AGREEMENT,
        "name": "CLETS Security Point of Contact Delineation and Agreement",
        "form_number": "HDC 0011",
        "citation": "CLETS PPP; HDC 0011 (rev. 03/2010)",
    },
    {
        "code": SECURITY_ADDENDUM,
        "name": "FBI CJIS Security Addendum",
        "form_number": "HDC 0012",
        "citation": "CJISSECPOL v5.9.5 §5.1.1.5 and Appendix H",
        "needs_vendor": True,
        "per_employee": True,
    },
    {
        "code": "interagency_terminal",
        "name": "Interagency Agreement for Placement of a CLETS Terminal",
        "citation": "CLETS PPP §1.5.2",
        "user_agreement": True,
        "needs_party_ori": True,
    },
    {
        "code": "release_of_clets_information",
        "name": "Release of CLETS Information",
        "citation": "CLETS PPP §1.5.3",
    },
    {
        "code": "reciprocity",
        "name": "Reciprocity Agreement",
        "citation": "CLETS PPP §1.5.4",
        "user_agreement": True,
        "needs_party_ori": True,
    },
    {
        "code": "interstate",
        "name": "Interstate access agreement",
        "citation": "CLETS PPP §1.5.5",
        "user_agreement": True,
        "needs_party_ori": True,
    },
    {
        "code": "csar_user",
        "name": "CSAR Agency User Agreement",
        "citation": "CA DOJ California Sex and Arson Registry",
        "user_agreement": True,
    },
    {
        "code": "other",
        "name": "Other agreement",
        "citation": "Agency records",
    },
]


def install_standard_kinds(apps: Any = None, **kwargs: Any) -> None:
    """Write the standard kinds (a ``post_migrate`` receiver; idempotent)."""
    if apps is None:
        from django.apps import apps
    try:
        kind_model = apps.get_model("agreements", "AgreementKind")
    except LookupError:  # migrating backwards, before the table exists
        return
    for spec in STANDARD:
        values = {
            "form_number": "",
            "user_agreement": False,
            "needs_party_ori": False,
            "needs_vendor": False,
            "per_employee": False,
            **{k: v for k, v in spec.items() if k != "code"},
        }
        kind_model.objects.update_or_create(
            agency=None, code=spec["code"], defaults=values
        )
