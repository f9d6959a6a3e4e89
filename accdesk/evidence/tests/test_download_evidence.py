"""Evidence files are served to members who may see the record, and each download
is recorded; nobody else gets them, whatever id they try."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accdesk.core.models import ChangeRecord
from accdesk.testing import TINY_PDF, make_evidence, make_person

pytestmark = pytest.mark.django_db

CONTENT = TINY_PDF + b"Network diagram: LPD core switch to CLETS router"


def _file_url(ori, pk):
    return reverse("evidence:file", kwargs={"ori": ori, "pk": pk})


def test_a_member_downloads_the_file_and_the_view_is_recorded(as_vera, vera, agency):
    evidence = make_evidence(agency, data=CONTENT, filename="network diagram.pdf")
    response = as_vera.get(_file_url(agency.ori, evidence.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="network diagram.pdf"' in response["Content-Disposition"]
    (event,) = ChangeRecord.objects.filter(event="evidence.view")
    assert event.actor_id == vera.pk and event.agency_id == agency.pk
    assert (
        event.object_id == str(evidence.pk) and "network diagram.pdf" in event.message
    )


def test_a_non_member_cannot_fetch_a_file_by_guessing_its_id(
    as_charlie, agency, other_agency, alice
):
    evidence = make_evidence(agency, data=CONTENT)
    # Through the agency's own URL: not a member, 404.
    assert as_charlie.get(_file_url(agency.ori, evidence.pk)).status_code == 404
    # Through their own agency's URL with the other agency's id: 404 too.
    for pk in range(1, evidence.pk + 3):
        response = as_charlie.get(_file_url(other_agency.ori, pk))
        assert response.status_code == 404
        assert CONTENT not in response.content
        detail = as_charlie.get(
            reverse("evidence:detail", kwargs={"ori": other_agency.ori, "pk": pk})
        )
        assert detail.status_code == 404
    assert not ChangeRecord.objects.filter(event="evidence.view").exists()


def test_anonymous_users_are_sent_to_sign_in(client, agency, alice):
    evidence = make_evidence(agency)
    response = client.get(_file_url(agency.ori, evidence.pk))
    assert response.status_code == 302 and response["Location"].startswith("/signin/")


def test_a_member_who_may_not_see_the_record_gets_no_file(
    as_vera, as_bob, agency, alice
):
    person = make_person(agency)
    evidence = make_evidence(person, data=CONTENT)
    # A viewer does not see people's files (roster.checks), an auditor does.
    assert as_vera.get(_file_url(agency.ori, evidence.pk)).status_code == 404
    assert as_bob.get(_file_url(agency.ori, evidence.pk)).status_code == 200
    page = as_vera.get(
        reverse("roster:person", kwargs={"ori": agency.ori, "pk": person.pk})
    )
    assert "Evidence files" not in page.content.decode()


def test_the_list_shows_the_files_a_member_may_see_and_downloads_them(
    as_alice, as_vera, agency, alice
):
    make_evidence(agency, title="Subscriber agreement")
    make_evidence(make_person(agency), title="Employee statement scan")
    alice_page = as_alice.get(
        reverse("evidence:list", kwargs={"ori": agency.ori})
    ).content.decode()
    assert (
        "Subscriber agreement" in alice_page and "Employee statement scan" in alice_page
    )
    vera_page = as_vera.get(
        reverse("evidence:list", kwargs={"ori": agency.ori})
    ).content.decode()
    assert (
        "Subscriber agreement" in vera_page
        and "Employee statement scan" not in vera_page
    )
    csv = as_alice.get(
        reverse("evidence:list", kwargs={"ori": agency.ori}) + "?format=csv"
    )
    text = b"".join(csv.streaming_content).decode()
    assert text.splitlines()[0].startswith("title,kind,attached_to,version")
    assert "Subscriber agreement" in text
    assert ChangeRecord.objects.filter(
        event="export", message__startswith="evidence list"
    ).exists()
