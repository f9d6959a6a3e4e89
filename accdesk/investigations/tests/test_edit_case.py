from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accdesk.core.models import ChangeRecord
from accdesk.testing import make_misuse_case

pytestmark = pytest.mark.django_db
CLOSED = {"closed_on": dt.date(2025, 6, 1), "finding": "sustained", "action": "none"}


def _url(case):
    return reverse(
        "investigations:edit", kwargs={"ori": case.agency.ori, "pk": case.pk}
    )


def _data(case, **overrides):
    data = {
        "case_number": case.case_number,
        "opened_on": case.opened_on.isoformat(),
        "source": case.source,
        "systems": case.systems,
        "allegation": case.allegation,
        "finding": case.finding,
    }
    if not case.is_open:
        data.update(closed_on=case.closed_on.isoformat(), action=case.action)
    return {**data, **overrides}


def test_it_saves_changes(as_alice, agency):
    case = make_misuse_case(agency, opened_on=dt.date(2025, 3, 1))
    response = as_alice.post(_url(case), _data(case, allegation="Amended."))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.allegation == "Amended."


def test_showing_the_form_is_a_recorded_view(as_alice, agency, alice):
    case = make_misuse_case(agency)
    as_alice.get(_url(case))
    assert ChangeRecord.objects.filter(
        event="view", object_id=str(case.pk), actor_id=alice.pk
    ).exists()


def test_an_open_case_cannot_get_an_action_here(as_alice, agency):
    case = make_misuse_case(agency)
    form = as_alice.get(_url(case)).context["form"]
    assert "action" not in form.fields and "closed_on" not in form.fields


def test_a_closed_case_keeps_a_finding_other_than_pending(as_alice, agency):
    case = make_misuse_case(agency, opened_on=dt.date(2025, 3, 1), **CLOSED)
    response = as_alice.post(_url(case), _data(case, finding="pending"))
    assert response.status_code == 400
    assert "finding" in response.context["form"].errors
    case.refresh_from_db()
    assert case.finding == "sustained"


def test_a_closed_case_keeps_an_action(as_alice, agency):
    case = make_misuse_case(agency, opened_on=dt.date(2025, 3, 1), **CLOSED)
    response = as_alice.post(_url(case), _data(case, action=""))
    assert response.status_code == 400
    assert response.context["form"].errors["action"] == [
        "Closing a case needs an action (it may be “none”)."
    ]


def test_the_closing_date_of_a_closed_case_can_be_corrected(as_alice, agency):
    case = make_misuse_case(agency, opened_on=dt.date(2025, 3, 1), **CLOSED)
    response = as_alice.post(_url(case), _data(case, closed_on="2025-05-30"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closed_on == dt.date(2025, 5, 30)
