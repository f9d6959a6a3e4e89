"""The What's due page (list by week, month calendar, filters, downloads), the
dashboard panel and the reminder pages."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.core.models import ChangeRecord
from accdesk.deadlines.models import ReminderPreference, ReminderSettings
from accdesk.deadlines.panels import DAYS, SHOWN
from accdesk.deadlines.registry import gather
from accdesk.lib.deadlines import OVERDUE
from accdesk.testing import panel

pytestmark = pytest.mark.django_db


def page(client, agency, query: str = "") -> str:
    response = client.get(f"/a/{agency.ori}/due/{query}")
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def test_the_list_shows_overdue_first_then_weeks_with_links(agency, scenario, as_alice):
    html = page(as_alice, agency)

    overdue = html.index(">Overdue <")
    this_week = html.index(">This week <")
    assert overdue < this_week < html.index(">Next week <")
    assert html.index("NexTEST expired") < this_week
    assert f'href="/a/{agency.ori}/roster/people/{scenario["smith"].pk}/"' in html
    assert f'href="/a/{agency.ori}/investigations/reports/2025/"' in html
    # A DOJ notice dated 40 days ago is due now: this week, not overdue.
    assert this_week < html.index("Notify DOJ: Agency telephone")


def test_filters_narrow_the_list(agency, scenario, as_alice):
    html = page(as_alice, agency, "?kind=misuse_report")
    assert "Misuse report for 2025" in html and "NexTEST expired" not in html

    html = page(as_alice, agency, "?status=due_today")
    assert "Security awareness training expires" in html
    assert "Misuse report for 2025" not in html


def test_the_month_calendar_puts_items_on_their_days(agency, scenario, as_alice):
    html = page(as_alice, agency, "?view=month&month=2026-12")

    day = html.index('data-date="2026-12-02"')
    assert day < html.index("NexTEST expired") < html.index('data-date="2026-12-03"')
    assert "Overdue from before December" in html  # the 2025 report
    assert "?view=month&amp;month=2027-01" in html or "month=2027-01" in html


@pytest.mark.parametrize(
    "query",
    [
        "?status=late",
        "?kind=nope",
        "?from=2026-02-30",
        "?view=week",
        "?view=month&month=12-2026",
    ],
)
def test_bad_parameters_are_a_400(agency, as_alice, query):
    assert as_alice.get(f"/a/{agency.ori}/due/{query}").status_code == 400


def test_the_csv_download_is_the_commands_and_is_recorded(agency, scenario, as_alice):
    response = as_alice.get(f"/a/{agency.ori}/due/?format=csv")
    body = b"".join(response.streaming_content).decode()

    assert body.splitlines()[0] == "date,kind,title,subject,owner,status,source,url"
    assert "J. Smith" in body
    assert ChangeRecord.objects.filter(event="export", message__contains="what's due")


def test_a_supervisor_does_not_see_the_page(agency, scenario):
    from accdesk import testing

    supervisor = testing.make_member(agency, "supervisor").user
    client = testing.signed_in_client(supervisor)

    assert client.get(f"/a/{agency.ori}/due/").status_code == 403


def test_the_dashboard_panel_shows_the_next_14_days_and_overdue(
    agency, scenario, as_alice
):
    html = as_alice.get(f"/a/{agency.ori}/").content.decode()
    panel = html[html.index('id="panel-due"') :]
    panel = panel[: panel.index("</section>")]

    assert "overdue</a>" in panel
    assert "Background reinvestigation due" in panel  # in 10 days
    assert "Misuse report for 2026" not in panel  # February


@pytest.mark.parametrize("member, role", [("as_alice", "acc"), ("as_vera", "viewer")])
def test_the_dashboard_panel_counts_what_the_page_lists(
    agency, crowded, request, member, role
):
    response = request.getfixturevalue(member).get(f"/a/{agency.ori}/")
    shown = panel(response, "deadlines/_panel_due.html")
    today = agency.today()
    items = gather(agency, today, today + dt.timedelta(days=DAYS), role=role)
    ahead = [i for i in items if i.status != OVERDUE]

    assert shown["overdue"] == len(items) - len(ahead) > 0
    assert shown["soon"] == ahead[:SHOWN]
    assert shown["more"] == len(ahead) - SHOWN > 0


def test_the_page_says_reminders_are_printed_without_a_mail_server(
    agency, as_alice, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert "printed in the worker" in page(as_alice, agency)

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "printed in the worker" not in page(as_alice, agency)


def test_a_member_saves_their_reminders_and_goes_back_to_the_defaults(
    agency, as_vera, vera
):
    url = f"/a/{agency.ori}/due/reminders/"
    response = as_vera.post(
        url,
        {"kinds": ["nextest_expiry"], "days_before": "14, 2", "digest": "on"},
    )
    assert response.status_code == 302
    own = ReminderPreference.objects.get(membership__user=vera)
    assert own.days_before == [14, 2]
    assert "training_expiry" in own.kinds_off and "nextest_expiry" not in own.kinds_off
    assert own.digest and not own.on_due_day

    as_vera.post(url, {"use_defaults": "1"})
    assert not ReminderPreference.objects.filter(membership__user=vera).exists()


def test_bad_days_are_refused(agency, as_vera):
    response = as_vera.post(
        f"/a/{agency.ori}/due/reminders/", {"days_before": "7, soon"}
    )

    assert response.status_code == 200
    assert "is not a number of days" in response.content.decode()


def test_only_the_acc_sets_the_agency_defaults(agency, as_alice, as_vera):
    url = f"/a/{agency.ori}/due/reminders/defaults/"
    data = {"defaults-kinds": ["misuse_report"], "defaults-days_before": "10"}

    assert as_vera.post(url, data).status_code == 403
    assert as_alice.post(url, data).status_code == 302
    assert ReminderSettings.objects.get(agency=agency).days_before == [10]
