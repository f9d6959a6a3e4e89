from __future__ import annotations

from accdesk.personnel.models import Person, SystemAccount
from accdesk.querylogs import demo, storage
from accdesk.querylogs.models import LogImport


def test_it_loads_once_with_the_existing_operators(agency):
    for n, (last, first) in enumerate([("Hollis", "Ray"), ("Prakash", "Dev")], 1):
        Person.objects.create(
            agency=agency, employee_id=f"E{n}", last_name=last, first_name=first
        )
        SystemAccount.objects.create(
            agency=agency,
            operator_id=f"OP{n}",
            employee_id=f"E{n}",
            access_level="full",
            created_date="2020-01-01",
        )
    demo.load(agency, agency.today())
    demo.load(agency, agency.today())
    log = LogImport.objects.get()
    assert log.rows > 400 and log.skipped_rows == 0
    assert log.by_rule["SELF_QUERY"] == 1 and log.by_rule["COWORKER_QUERY"] == 1
    assert log.by_rule["REPEAT_SUBJECT"] >= 3
    assert storage.months(agency)


def test_it_loads_without_accounts(agency):
    demo.load(agency, agency.today())
    assert LogImport.objects.get().by_rule["RTE_MISSING"] > 0
