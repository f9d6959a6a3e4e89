"""One entry: /a/<ori>/releases/<sequence>/."""

from __future__ import annotations

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.personnel.models import Person
from accdesk.releaselogs.chain import append
from accdesk.releaselogs.tests import tamper
from accdesk.testing import make_release_entry

pytestmark = pytest.mark.django_db


def url(agency, sequence):
    return f"/a/{agency.ori}/releases/{sequence}/"


def test_it_shows_the_entry_and_records_the_view(as_vera, agency):
    entry = make_release_entry(agency, information="CII rap sheet – TESTER, SAMPLE")
    response = as_vera.get(url(agency, 1))
    assert response.status_code == 200
    content = response.content.decode()
    assert "CII rap sheet – TESTER, SAMPLE" in content and entry.hash in content
    assert "Correct this entry" not in content  # a viewer cannot correct
    event = ChangeRecord.objects.get(event="view", object_id=str(entry.pk))
    assert event.restricted and event.actor_label == "vera@alpha.test"


def test_it_shows_the_roster_person(as_alice, agency):
    Person.objects.create(
        agency=agency, employee_id="E7", first_name="Rita", last_name="Clerk"
    )
    make_release_entry(agency)
    assert "roster: Clerk, Rita (E7)" in as_alice.get(url(agency, 1)).content.decode()


def test_a_removed_roster_person_does_not_break_the_page(as_alice, agency):
    person = Person.objects.create(
        agency=agency, employee_id="E7", first_name="Rita", last_name="Clerk"
    )
    make_release_entry(agency)
    person.delete()
    assert as_alice.get(url(agency, 1)).status_code == 200


def test_it_links_a_correction_and_the_corrected_entry(as_alice, agency):
    original = make_release_entry(agency)
    append(original.correction("typo", case_number="X-2"))
    first = as_alice.get(url(agency, 1)).content.decode()
    assert "Superseded by" in first and "Correct this entry" not in first
    second = as_alice.get(url(agency, 2)).content.decode()
    assert "Corrects" in second and "typo" in second


def test_a_correction_of_a_purged_entry_says_so(as_alice, agency):
    original = make_release_entry(agency)
    append(original.correction("typo", case_number="X-2"))
    tamper.delete_entry(original)  # as the retention purge would
    assert (
        "purged after the retention period"
        in as_alice.get(url(agency, 2)).content.decode()
    )


def test_another_agencys_entry_is_not_found(as_alice, agency, other_agency):
    make_release_entry(other_agency)
    assert as_alice.get(url(agency, 1)).status_code == 404


def test_an_outsider_gets_404(as_charlie, agency):
    make_release_entry(agency)
    assert as_charlie.get(url(agency, 1)).status_code == 404
