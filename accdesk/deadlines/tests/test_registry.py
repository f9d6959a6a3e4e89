"""The registry: every app's deadlines in one explicit list. Adding an app's
function is an import and one ``Source`` line -- shown here with a made-up
``agreement_expiry`` function, as the agreements app will add its own."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from accdesk.deadlines import registry
from accdesk.deadlines.registry import SOURCES, Source, gather
from accdesk.deadlines.tests.conftest import TODAY
from accdesk.lib.deadlines import KINDS, Deadline, status_on

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[3] / "docs" / "deadlines.md"


def agreement_expiry(agency, start: dt.date, end: dt.date) -> list[Deadline]:
    day = TODAY + dt.timedelta(days=20)
    return [
        Deadline(
            date=day,
            kind="agreement_expiry",
            title="Subscriber Agreement expires",
            subject="HDC 0001",
            status=status_on(day, agency.today()),
            source="CLETS PPP §1.5",
            url=f"/a/{agency.ori}/agreements/1/",
        )
    ]


def test_adding_an_apps_function_is_one_line(agency, alice, as_alice, monkeypatch):
    monkeypatch.setattr(
        registry, "SOURCES", [*SOURCES, Source(agreement_expiry, "agency.view")]
    )

    out = io.StringIO()
    call_command("due", "--agency", agency.ori, "--format", "json", stdout=out)
    (item,) = [
        i
        for i in json.loads(out.getvalue())["items"]
        if i["kind"] == "agreement_expiry"
    ]
    page = as_alice.get(f"/a/{agency.ori}/due/").content.decode()

    assert item["owner"] == alice.email  # the ACC, by default
    assert item["status"] == "upcoming"
    assert "Subscriber Agreement expires" in page
    assert "Agreement expiry" in page  # its kind's label, in the filter


def test_a_source_is_shown_only_to_roles_that_may_see_its_records(
    agency, scenario, alice, vera
):
    acc_kinds = {d.kind for d in gather(agency, TODAY, TODAY, role="acc")}
    viewer_kinds = {d.kind for d in gather(agency, TODAY, TODAY, role="viewer")}

    assert "misuse_report" in acc_kinds
    assert "misuse_report" not in viewer_kinds  # investigations are ACC and SPOC only
    assert "audit_log_review" not in viewer_kinds
    assert "nextest_expiry" in viewer_kinds


def test_the_spoc_owns_the_weekly_review(agency, scenario, sam):
    week = gather(agency, TODAY, TODAY + dt.timedelta(days=7))
    (review,) = [d for d in week if d.kind == "audit_log_review"]

    assert review.owner == sam.email


def test_every_source_is_an_apps_deadlines_module():
    for source in SOURCES:
        assert re.fullmatch(r"accdesk\.\w+\.deadlines", source.deadlines.__module__)


def test_every_kind_is_documented_with_its_rule_and_source():
    text = DOCS.read_text()
    documented = set(re.findall(r"^### `(\w+)`", text, flags=re.MULTILINE))

    assert set(KINDS) <= documented, sorted(set(KINDS) - documented)
