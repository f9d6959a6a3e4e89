from __future__ import annotations

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.querylogs.models import AuditSample, AuditSet
from accdesk.querylogs.tests.conftest import url

DRAW = {"date_from": "2026-03-01", "date_to": "2026-03-31", "size": "2", "seed": "abc"}


def draw(client, agency, **changes):
    return client.post(url("new_audit_set", agency), {**DRAW, **changes})


def test_an_acc_draws_a_set_with_a_recorded_seed(as_alice, imported):
    response = draw(as_alice, imported.agency)
    the_set = AuditSet.objects.get()
    assert response["Location"] == url("audit_set", imported.agency, pk=the_set.pk)
    assert (the_set.seed, the_set.items.count()) == ("abc", 2)


def test_the_same_seed_draws_the_same_inquiries(as_alice, imported):
    draw(as_alice, imported.agency)
    draw(as_alice, imported.agency)
    first, second = AuditSet.objects.order_by("pk")
    keys = lambda s: [i.key for i in s.items.all()]  # noqa: E731
    assert keys(first) == keys(second)


def test_a_blank_seed_is_chosen_and_recorded(as_alice, imported):
    draw(as_alice, imported.agency, seed="")
    assert len(AuditSet.objects.get().seed) == 16


def test_a_reviewer_records_a_disposition(as_sam, sam, imported):
    draw(as_sam, imported.agency)
    item = AuditSample.objects.first()
    response = as_sam.post(
        url("disposition", imported.agency, pk=item.audit_set_id, item=item.pk),
        {"disposition": "needs_info", "note": "ask DET SMITH"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.disposition, item.note, item.reviewer) == (
        "needs_info",
        "ask DET SMITH",
        sam,
    )
    record = ChangeRecord.objects.filter(object_type="querylogs.auditsample").last()
    assert record.restricted and "ask" not in str(record.changes)


def test_the_set_page_shows_subjects_to_the_acc_only(as_alice, as_vera, imported):
    draw(as_alice, imported.agency, size="3")
    pk = AuditSet.objects.get().pk
    acc = as_alice.get(url("audit_set", imported.agency, pk=pk))
    assert b"ALVAREZ,MARIA" in acc.content and b'name="disposition"' in acc.content
    assert ChangeRecord.objects.filter(
        event="view", message__contains=f"audit set #{pk}"
    ).exists()
    viewer = as_vera.get(url("audit_set", imported.agency, pk=pk))
    assert (
        b"ALVAREZ" not in viewer.content and b'name="disposition"' not in viewer.content
    )


@pytest.mark.parametrize(
    ("persona", "status"), [("as_vera", 403), ("as_bob", 403), ("as_charlie", 404)]
)
def test_only_acc_and_spoc_draw_or_review(request, imported, persona, status):
    client = request.getfixturevalue(persona)
    assert draw(client, imported.agency).status_code == status
    assert not AuditSet.objects.exists()


def test_a_set_of_another_agency_is_404(as_charlie, as_alice, imported):
    draw(as_alice, imported.agency)
    pk = AuditSet.objects.get().pk
    from accdesk.agency.models import Agency

    other = Agency.objects.exclude(pk=imported.agency.pk).get()
    assert as_charlie.get(url("audit_set", other, pk=pk)).status_code == 404


def test_an_inverted_period_is_refused(as_alice, imported):
    response = draw(as_alice, imported.agency, date_from="2026-04-01")
    assert response.status_code == 400 and b"before the start" in response.content
