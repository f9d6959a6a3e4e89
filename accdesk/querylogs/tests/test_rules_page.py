from __future__ import annotations

import pytest

from accdesk.querylogs.models import AuditRules, rules_for
from accdesk.querylogs.tests.conftest import url


def test_an_acc_overrides_a_vocabulary_and_keeps_the_other_defaults(as_alice, agency):
    response = as_alice.post(
        url("rules", agency),
        {"reason_terms": "TRESPASS\nLOITERING", "repeat_operators": "4"},
    )
    assert response.status_code == 302
    rules = rules_for(agency)
    assert rules.reason_terms == ("TRESPASS", "LOITERING")
    assert rules.repeat_operators == 4 and rules.repeat_hours == 168
    assert "QH" in rules.chri_keys


def test_it_shows_the_defaults(as_alice, agency):
    assert b"PROBATION SEARCH" in as_alice.get(url("rules", agency)).content


def test_a_bad_regular_expression_is_refused(as_alice, agency):
    response = as_alice.post(url("rules", agency), {"case_patterns": "([0-9]+"})
    assert response.status_code == 200 and b"missing )" in response.content.lower()
    assert not AuditRules.objects.filter(case_patterns__contains="[0-9]").exists()


def test_message_keys_are_letters_and_digits(as_alice, agency):
    response = as_alice.post(url("rules", agency), {"chri_keys": "QH\nQ'R"})
    assert b"letters and digits only" in response.content


@pytest.mark.parametrize(
    ("persona", "status"), [("as_sam", 403), ("as_vera", 403), ("as_charlie", 404)]
)
def test_only_the_acc_changes_rules(request, agency, persona, status):
    assert (
        request.getfixturevalue(persona).get(url("rules", agency)).status_code == status
    )
