"""Agencies are tenants: walk every URL pattern and make sure nothing of one agency
reaches a member of another, and that anonymous users are sent to sign in.

The walk is generic: a new view is covered as soon as its URL exists. Agency A is
the demo agency (every app's demo data loaded); the outsider is the ACC of agency B.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from accdesk import testing
from accdesk.core.audit import Audited
from accdesk.core.models import ChangeRecord
from accdesk.demo import loaders
from tests import urlwalk

pytestmark = pytest.mark.django_db

# Views anyone may open: the sign-in steps, which need no account, and the
# calendar feed, whose secret URL is its credential (a bad one is a 404).
PUBLIC = {
    "calendar:feed",
    "access:signin",
    "access:verify",
    "access:enrol",
    "access:locked",
    "access:recovery_codes",
}
_routes = urlwalk.routes
_agency_routes = urlwalk.agency_routes
_fill = urlwalk.fill
PK_CANDIDATES = urlwalk.PK_CANDIDATES


def _sentinels(agency) -> set[str]:
    """Text that identifies agency A's records: names, titles, free text."""
    found = {agency.name, agency.ori}
    for model in apps.get_models():
        if not issubclass(model, Audited) or model is type(agency):
            continue
        field_names = {f.name for f in model._meta.concrete_fields}
        if "agency" not in field_names:
            continue
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model.objects.filter(agency=agency).values(*text_fields):
            found.update(v for v in row.values() if _identifying(v))
    return found


def _own_pages(client, ori: str) -> str:
    """What the outsider sees on their own agency's pages, whatever agency A
    holds: the site's name, the navigation ("Investigations"), the questionnaires
    that ship with ACC Desk (a finding of A's may cite a question's source). A
    value of A's that is also shown there identifies nothing."""
    from accdesk.audits.models import Questionnaire

    urls = [f"/a/{ori}/", f"/a/{ori}/profile/contacts/999999/edit/"]
    urls += [
        f"/a/{ori}/audits/questionnaires/{pk}/"
        for pk in Questionnaire.objects.filter(agency=None).values_list("pk", flat=True)
    ]
    return "".join(client.get(url).content.decode(errors="replace") for url in urls)


def _identifying(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) >= 8
        and sum(c.isalpha() for c in value) >= 5
        and "\n" not in value
    )


@pytest.fixture
def demo_agency():
    return loaders.load().agency


def test_the_walk_finds_the_agency_views():
    names = {name for _, name in _agency_routes()}
    assert {
        "dashboard:agency",
        "agency:profile",
        "agency:members",
        "changes:list",
    } <= names


def test_an_outsider_gets_nothing_from_another_agencys_urls(
    demo_agency, as_charlie, other_agency
):
    own = _own_pages(as_charlie, other_agency.ori)
    sentinels = {s for s in _sentinels(demo_agency) if s not in own}
    trail_before = ChangeRecord.objects.filter(agency_id=demo_agency.pk).count()
    for route, name in _agency_routes():
        for pk in PK_CANDIDATES if "<int:" in route else [0]:
            url = _fill(route, demo_agency.ori, pk)
            for method in ("get", "post"):
                response = getattr(as_charlie, method)(url)
                assert response.status_code in (403, 404, 405), (method, url, name)
                _assert_no_leak(response, sentinels, url)
    assert ChangeRecord.objects.filter(agency_id=demo_agency.pk).count() == trail_before


def test_an_outsider_cannot_reach_records_through_their_own_agency(
    demo_agency, charlie, other_agency
):
    client = testing.signed_in_client(charlie)
    own = _own_pages(client, other_agency.ori)
    sentinels = {s for s in _sentinels(demo_agency) if s not in own}
    assert len(sentinels) > 10  # the walk must have something to look for
    trail_before = ChangeRecord.objects.filter(agency_id=demo_agency.pk).count()
    for route, name in _agency_routes():
        if "<int:" not in route:
            continue
        for pk in PK_CANDIDATES:
            url = _fill(route, other_agency.ori, pk)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in (200, 302, 400, 403, 404, 405), (
                    url,
                    name,
                )
                _assert_no_leak(response, sentinels, url)
    assert ChangeRecord.objects.filter(agency_id=demo_agency.pk).count() == trail_before


def _assert_no_leak(response, sentinels: set[str], url: str) -> None:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode(errors="replace")
    else:
        body = response.content.decode(errors="replace")
    leaked = [s for s in sentinels if s in body]
    assert not leaked, f"{url} shows another agency's data: {leaked[:3]}"


def test_anonymous_users_are_sent_to_sign_in(client, demo_agency):
    for route, name in _routes():
        if name in PUBLIC:
            continue
        url = _fill(route, demo_agency.ori, 1)
        response = client.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith("/signin/"), url


def test_the_admin_is_for_superusers_only(as_alice, client):
    assert as_alice.get("/admin/").status_code == 403
    assert as_alice.get("/admin/agency/agency/").status_code == 403
    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/login/") or response[
        "Location"
    ].startswith("/signin/")
