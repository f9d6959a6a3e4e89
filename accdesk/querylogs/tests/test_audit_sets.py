from __future__ import annotations

from contextlib import closing

import pytest

from accdesk import testing
from accdesk.core.models import ChangeRecord
from accdesk.querylogs import duck, storage
from accdesk.querylogs.models import AuditSample, AuditSet
from accdesk.querylogs.tests.conftest import url
from accdesk.querylogs.tests.test_querylog_command import run

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


def test_a_sample_at_a_month_boundary_is_read_from_the_agency_month(
    as_alice, agency, tmp_path, settings
):
    """Archive months are the agency's local months, not the site's, in a command
    as on a page."""
    settings.TIME_ZONE = "America/Los_Angeles"
    agency.time_zone = "America/New_York"
    agency.save()
    # 1 April 00:30 in New York is still 31 March 21:30 in Los Angeles.
    rows = [
        {"timestamp": "2026-03-31T23:30:00", "operator_id": "OP1"},
        {"timestamp": "2026-04-01T00:30:00", "operator_id": "OP2"},
    ]
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "boundary.csv", rows)
    )
    assert storage.months(agency) == ["2026-03", "2026-04"]
    run(
        "sample",
        *("--agency", agency.ori, "--from", "2026-03-31", "--to", "2026-04-01"),
        *("--n", "2", "--seed", "s"),
    )
    items = sorted(AuditSample.objects.all(), key=lambda i: i.ts)
    assert [(i.operator_id, i.month) for i in items] == [
        ("OP1", "2026-03"),
        ("OP2", "2026-04"),
    ]
    with closing(storage.connect(agency)) as con:
        for item in items:
            files = storage.archive_files(agency, [item.month])
            assert item.key in duck.archive_rows(con, files, [item.key])
    page = as_alice.get(url("audit_set", agency, pk=items[0].audit_set_id))
    text = page.content.decode()
    assert "no longer in the archive" not in text
    explain = url("row", agency, month="2026-04", key=items[1].key)
    assert f'href="{explain}"' in text
    assert as_alice.get(explain).status_code == 200


# -- The list of sets ---------------------------------------------------------------


@pytest.fixture
def sets(agency, alice):
    """Three sets that differ in every column; the second half reviewed."""
    import datetime as dt

    from django.utils import timezone

    made = []
    for n, (start, seed, by) in enumerate(
        [
            ("2026-01-01", "b-seed", "zoe@alpha.test"),
            ("2025-06-01", "A-seed", "al@x"),
            ("2026-02-01", "c-seed", "mo@alpha.test"),
        ]
    ):
        the_set = AuditSet.objects.create(
            agency=agency,
            date_from=start,
            date_to=dt.date.fromisoformat(start) + dt.timedelta(days=10 * (n + 1)),
            size=5,
            seed=seed,
            created_at=timezone.now() - dt.timedelta(days=n * 3 % 7),
            created_by=by,
        )
        for position in range(n + 1):
            AuditSample.objects.create(
                audit_set=the_set,
                position=position,
                key=f"{n}{position}".ljust(32, "0"),
                ts=timezone.now(),
                operator_id="OP1",
                message_key="QH",
                disposition="justified" if position < n else "",
            )
        made.append(the_set)
    return made


SET_CELLS = {
    "set": lambda s: s.pk,
    "date_from": lambda s: s.date_from,
    "date_to": lambda s: s.date_to,
    "seed": lambda s: s.seed,
    "reviewed": lambda s: s.reviewed,
    "inquiries": lambda s: s.inquiries,
    "created_at": lambda s: s.created_at,
    "created_by": lambda s: s.created_by,
}


@pytest.mark.parametrize("key", list(SET_CELLS))
@pytest.mark.parametrize("descending", [False, True])
def test_the_list_sorts_by_every_column(as_alice, agency, sets, key, descending):
    query = {"sort": f"-{key}" if descending else key}
    page = as_alice.get(url("audit_sets", agency), query)
    assert page.status_code == 200
    values = [SET_CELLS[key](s) for s in testing.listed(page)]
    testing.assert_in_order(values, descending=descending)
    assert f"sort={'' if descending else '-'}{key}" in page.content.decode()


def test_the_list_counts_reviewed_inquiries_in_a_fixed_number_of_queries(
    as_vera, agency, sets, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        page = as_vera.get(url("audit_sets", agency), {"sort": "set"})
    assert [(s.reviewed, s.inquiries) for s in testing.listed(page)] == [
        (0, 1),
        (1, 2),
        (2, 3),
    ]


def test_the_list_shows_50_sets_a_page(as_alice, agency):
    for n in range(51):
        AuditSet.objects.create(
            agency=agency,
            date_from="2026-01-01",
            date_to="2026-01-31",
            size=1,
            seed=f"s{n:02d}",
            created_by="x",
        )
    first = as_alice.get(url("audit_sets", agency), {"sort": "seed"})
    assert len(testing.listed(first)) == 50
    assert "?sort=seed&amp;page=2" in first.content.decode()
    last = as_alice.get(url("audit_sets", agency), {"sort": "seed", "page": "2"})
    assert [s.seed for s in testing.listed(last)] == ["s50"]


def test_the_list_downloads_and_the_download_is_recorded(as_bob, agency, sets):
    rows = testing.downloaded(
        as_bob.get(url("audit_sets", agency), {"format": "csv", "sort": "seed"})
    )
    assert [(r["seed"], r["reviewed"], r["inquiries"]) for r in rows] == [
        ("A-seed", "1", "2"),
        ("b-seed", "0", "1"),
        ("c-seed", "2", "3"),
    ]
    event = ChangeRecord.objects.get(event="export")
    assert (
        event.message == "query-log audit sets downloaded as CSV: 3 rows; filters: none"
    )
    xlsx = testing.downloaded(as_bob.get(url("audit_sets", agency), {"format": "xlsx"}))
    assert {r["set"] for r in xlsx} == {s.pk for s in sets}


def test_a_refused_draw_still_shows_the_list(as_alice, agency, sets):
    response = draw(as_alice, agency, date_from="2026-04-01")
    assert response.status_code == 400
    assert len(testing.listed(response)) == 3
