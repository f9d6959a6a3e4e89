"""The change-record page reads the (agency, time) index in its order, on SQLite
and PostgreSQL, instead of sorting all of the agency's entries for each page of
50 (issue 18): asserted on the query plans of the queries the page runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accdesk.core.models import ChangeRecord
from accdesk.testing import listed

pytestmark = pytest.mark.django_db

INDEX = "changerecord_agency_at"


@pytest.fixture
def many(agency, other_agency, alice):
    """3,000 entries of the agency, 3,000 of another, 300 sign-ins under no agency."""
    start = timezone.now() - dt.timedelta(days=30)

    def entry(n: int, **kw) -> ChangeRecord:
        return ChangeRecord(
            at=start + dt.timedelta(minutes=n),
            actor_label="test",
            action="event",
            event="export",
            **kw,
        )

    ChangeRecord.objects.bulk_create(
        [entry(n, agency_id=agency.pk) for n in range(3000)]
        + [entry(n, agency_id=other_agency.pk) for n in range(3000)]
        + [entry(10 * n + 5, agency_id=None, actor_id=alice.pk) for n in range(300)]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return agency


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "core_changerecord"' in q["sql"] and "ORDER BY" in q["sql"]
    ]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("page", ["", "?page=3", "?sort=at"])
def test_each_query_of_the_page_reads_the_index_in_order(as_alice, many, page):
    response, queries = _page_queries(as_alice, f"/a/{many.ori}/changes/{page}")
    assert len(listed(response)) == 50
    own = [sql for sql in queries if '"agency_id" IS NULL' not in sql]
    shared = [sql for sql in queries if '"agency_id" IS NULL' in sql]
    assert len(own) == len(shared) == 1, queries
    # The agency's own entries (the part that grows): the index, in its order.
    plan = _plan(own[0])
    assert INDEX in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
    # The entries under no agency: an index's NULL range, never the whole table.
    # SQLite reads this index in order; PostgreSQL may take the chain's (agency,
    # sequence) index and sort the few it finds (its planner's choice).
    plan = _plan(shared[0])
    if connection.vendor == "sqlite":
        assert INDEX in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    else:
        assert "Index Cond: (agency_id IS NULL)" in plan, plan
        assert "Seq Scan" not in plan, plan


def test_the_merged_page_is_the_records_in_time_order(as_alice, many, alice):
    expected = list(
        ChangeRecord.objects.for_agency(many.pk, [alice.pk]).order_by("-at", "-id")
    )
    got = []
    for number in range(1, 8):
        response = as_alice.get(f"/a/{many.ori}/changes/?page={number}")
        got += listed(response)
    assert [r.pk for r in got] == [r.pk for r in expected[: len(got)]]
    assert any(r.agency_id is None for r in got)  # sign-ins merged in
    assert response.context["listing"].count == len(expected)
    oldest = listed(as_alice.get(f"/a/{many.ori}/changes/?sort=at"))
    assert [r.pk for r in oldest] == [r.pk for r in expected[::-1][:50]]
