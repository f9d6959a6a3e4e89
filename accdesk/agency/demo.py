"""Demo records of the agency app: designated roles, their history and notices."""

from __future__ import annotations

import datetime as dt

from accdesk.agency import notices
from accdesk.agency.models import Agency, Designation


def load(agency: Agency, today: dt.date) -> None:
    if agency.designations.exists():
        return
    long_ago = today - dt.timedelta(days=3 * 365)
    notices.designate(
        agency,
        Designation.Kind.AGENCY_HEAD,
        name="Dana Whitfield",
        title="Chief of Police",
        phone="(555) 010-4401",
        email="chief@lakemont.example",
        effective_on=long_ago,
    )
    notices.designate(
        agency,
        Designation.Kind.ACC,
        name="Robert Kim",
        title="Sergeant",
        effective_on=long_ago,
    )
    notices.designate(
        agency,
        Designation.Kind.SPOC,
        name="Kevin Osei",
        title="IT Manager",
        phone="(555) 010-4470",
        email="spoc@lakemont.example",
        effective_on=long_ago,
    )
    notices.designate(
        agency,
        Designation.Kind.DOJ_FIELD_REP,
        name="Jordan Lee",
        title="Field Representative, CA DOJ",
        phone="(555) 010-9000",
        email="jordan.lee@doj.example",
        effective_on=long_ago,
    )
    notices.designate(
        agency,
        Designation.Kind.OTHER,
        name="Alex Romero",
        title="Records Supervisor",
        phone="(555) 010-4420",
        email="records@lakemont.example",
        effective_on=long_ago,
    )
    # History: the ACC changed two months ago, and DOJ was told.
    notices.designate(
        agency,
        Designation.Kind.ACC,
        name="Maria Alvarez",
        title="Sergeant",
        phone="(555) 010-4410",
        email="acc@lakemont.example",
        effective_on=today - dt.timedelta(days=60),
    )
    for notice in agency.notices.all():
        notices.mark_sent(notice, notice.effective_on, None, "email to CAS")
    # An open task: the agency's main line changed last week.
    notices.update_profile(
        agency, {"phone": "(555) 010-4000"}, today - dt.timedelta(days=7)
    )
