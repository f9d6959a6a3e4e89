"""The dashboard panel: counts by status and the most overdue items."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.testing import make_eligible_operator

pytestmark = pytest.mark.django_db


def _panel(client, agency):
    html = client.get(f"/a/{agency.ori}/").content.decode()
    start = html.index('id="panel-worklist"')
    return html[start : html.index("</section>", start)]


def test_it_shows_counts_and_the_most_overdue_first(
    as_alice, agency, crew, frozen_today
):
    for days in range(6, 12):  # six more separated people, 6 to 11 days ago
        make_eligible_operator(
            agency,
            last_name=f"Gone{days}",
            employment_status="separated",
            separation_date=frozen_today - dt.timedelta(days=days),
        )
    panel = _panel(as_alice, agency)
    assert "7 Must deactivate" in panel and "1 Remediate" in panel
    names = [line for line in panel.split("<li") if "due " in line]
    assert len(names) == 5  # the five most overdue
    assert "Gone11" in names[0] and "Gone10" in names[1] and "Gone7" in names[4]
    assert "Baker" not in panel  # Ben, 5 days ago, is seventh


def test_a_supervisor_sees_counts_of_their_people(as_sue, agency, crew):
    panel = _panel(as_sue, agency)
    assert "0 Must deactivate" in panel and "Nothing overdue" in panel


def test_everyone_in_the_agency_sees_it(as_vera, agency, crew):
    assert "Ben Baker" in _panel(as_vera, agency)
