"""Bad parameters never give a 500 (issue 11, item 9): every list page's query
parameters, driven with the values of the attack run and with generated ones.

Each page answers a 400 with a plain message inside the site's layout, or the
page itself (with a message where it chose to show something else, such as the
worklist's as-of date)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accdesk import testing
from accdesk.querylogs.models import AuditSet

pytestmark = pytest.mark.django_db

# Each list page and the parameters it reads.
PAGES = {
    "roster:list": ["q", "status", "reason", "role_level", "supervisor"],
    "roster:worklist": ["as_of", "q", "status", "reason"],
    "roster:worklist_csv": ["as_of", "all"],
    "querylogs:overview": ["date_from", "date_to"],
    "querylogs:findings": ["date_from", "date_to", "rule", "operator", "subjects"],
    "querylogs:leads": ["date_from", "date_to", "rule", "status", "subjects"],
    "querylogs:audit_sets": [],
    "releaselogs:list": ["q", "method", "released_from", "released_to"],
    "investigations:list": ["show"],
    "changes:list": ["q", "action", "date_from", "date_to"],
    "agreements:register": ["q", "kind", "status", "vendor", "due"],
    "terminals:terminals": ["q", "status"],
    "evidence:list": ["q", "show", "kind"],
}
COMMON = ["sort", "page", "format"]


@pytest.fixture
def lists(agency, alice, tmp_path):
    """A little of everything, so that every list has rows to sort and page."""
    testing.make_eligible_operator(agency, supervisor_employee_id="S1")
    testing.make_eligible_operator(
        agency, employment_status="separated", separation_date=agency.today()
    )
    testing.make_account(agency, operator_id="GHOST", employee_id="NOBODY")
    testing.make_release_entry(agency)
    testing.make_misuse_case(agency)
    AuditSet.objects.create(
        agency=agency,
        date_from="2026-03-01",
        date_to="2026-03-31",
        size=1,
        seed="s",
        created_by="x",
    )
    rows = [
        {"timestamp": "2026-03-02T08:00:00", "purpose_code": "R"},
        {"timestamp": "2026-03-03T08:00:00", "operator_id": "NOONE"},
    ]
    testing.make_querylog_import(
        agency, testing.make_querylog(tmp_path / "march.csv", rows)
    )
    return testing.signed_in_client(alice)


def _get(client, name, agency, query: str):
    response = client.get(f"{reverse(name, kwargs={'ori': agency.ori})}?{query}")
    if response.streaming:  # a CSV is written as it is sent: read it all
        b"".join(response.streaming_content)
    return response


def _check(response) -> None:
    assert response.status_code < 500, response.status_code
    if response.status_code == 400:
        message = response.context["message"]
        assert message and escape(message) in response.content.decode()
        assert b'aria-label="Sections"' in response.content  # the site's layout


# The values of the attack run (issue 11), on every page.
ATTACKS = [
    {"as_of": "9999-12-31"},
    {"date_to": "0001-01-01"},
    {"date_from": "9999-12-31", "date_to": "9999-12-31"},
    {"released_to": "9999-12-31"},
    {"page": str(10**12)},
    {"page": "-1"},
    {"page": "²"},
    {"q": "x" * 10_000},
    {"sort": "x" * 10_000},
    {"format": "csv", "sort": "-" * 3},
]


@pytest.mark.parametrize("name", list(PAGES))
def test_the_attacks_get_a_bad_request_or_a_message(lists, agency, name):
    for query in ATTACKS:
        response = _get(lists, name, agency, urlencode(query))
        _check(response)
        if "x" * 10_000 in query.values():
            assert response.status_code == 400, query  # never echoed in links


def test_the_worklist_says_why_it_shows_today(lists, agency):
    response = _get(lists, "roster:worklist", agency, "as_of=9999-12-31")
    assert response.status_code == 200
    assert b"is outside the dates" in response.content


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30
)
_VALUES = st.one_of(
    _TEXT,
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    st.sampled_from(["csv", "xlsx", "1", "all", "-", "--ts", "-name", "NaN", ""]),
    st.sampled_from(
        ["must_deactivate", "SEPARATED", "PURPOSE_INVALID", "closed", "event"]
    ),
    # Sort keys of the lists, so that real sorts and pages are driven too.
    st.sampled_from(["ts", "-ts", "name", "-due_date", "status", "-released_at"])
    | st.sampled_from(["-opened_date", "subject", "-at", "what", "-last_ts", "seed"]),
)


def _queries(names: list[str]):  # noqa: ANN202 - a strategy
    keys = st.one_of(st.sampled_from([*names, *COMMON]), _TEXT)
    return st.lists(st.tuples(keys, _VALUES), max_size=6).map(urlencode)


@pytest.mark.parametrize("name", list(PAGES))
def test_generated_parameters_never_give_a_server_error(lists, agency, name):
    @settings(
        max_examples=30,
        deadline=None,
        database=None,  # nothing written to the working tree
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(query=_queries(PAGES[name]))
    def drive(query: str) -> None:
        _check(_get(lists, name, agency, query))

    drive()
