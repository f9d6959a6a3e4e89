"""Every rule, firing and not firing, through the real DuckDB engine (issue 4)."""

from __future__ import annotations

import pytest

from accdesk import testing
from accdesk.querylogs.duck import People
from accdesk.querylogs.rules import default_rules
from accdesk.querylogs.tests.conftest import DATA, run_audit


def rules_of(found, row=1):
    return {rule for (r, rule) in found if r == row}


def test_it_finds_nothing_in_a_compliant_inquiry(audit):
    assert audit([{}]) == {}


@pytest.mark.parametrize("key", ["QW", "QV", "DQ", "RQ", ""])
def test_it_does_not_check_other_message_keys(audit, key):
    assert audit([{"message_key": key, "purpose_code": "", "rte": ""}]) == {}


@pytest.mark.parametrize("key", ["QH", "QR", "IQ", "FQ", "AQ", "qh", " qr "])
def test_it_checks_criminal_history_keys_in_any_case(audit, key):
    found = audit([{"message_key": key, "rte": "", "case_number": "26-1"}])
    assert rules_of(found) == {"RTE_MISSING"}


# -- PURPOSE_INVALID -------------------------------------------------------------------


@pytest.mark.parametrize("code", list("ACDEFHIJSVX") + ["c", " j "])
def test_it_accepts_valid_purpose_codes(audit, code):
    # (A robbery under J or E is a PURPOSE_REASON_MISMATCH: test_crossrules.py.)
    found = audit([{"purpose_code": code}])
    assert [rule for _, rule in found if rule != "PURPOSE_REASON_MISMATCH"] == []


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        ("", "purpose code is blank"),
        ("R", "purpose code R is used only by the FBI; it is invalid for local users"),
        ("Z", "purpose code Z is not one of A C D E F H I J S V X"),
    ],
)
def test_it_flags_invalid_purpose_codes(audit, code, detail):
    assert audit([{"purpose_code": code}]) == {(1, "PURPOSE_INVALID"): detail}


# -- RTE_MISSING and the rules it silences ---------------------------------------------


@pytest.mark.parametrize("rte", ["", "   "])
def test_a_blank_rte_is_missing_and_silences_the_other_rte_rules(audit, rte):
    found = audit([{"rte": rte, "case_number": "26-1234"}])
    assert rules_of(found) == {"RTE_MISSING"}


def test_a_blank_rte_still_has_a_missing_case_number(audit):
    assert rules_of(audit([{"rte": ""}])) == {"RTE_MISSING", "CASE_MISSING"}


# -- RTE_NO_REQUESTER -------------------------------------------------------------------


@pytest.mark.parametrize(
    "rte",
    [
        "DET SMITH ROBBERY",
        "det smith robbery",
        "SGT. O'BRIEN ROBBERY",
        "ROBBERY FOR DDA NGUYEN",
        "PO WALKER ROBBERY",
        "#4471 ROBBERY",
        "ROBBERY #12",
        "ROBBERY #123456",
        "ID 1234 ROBBERY",
        "BADGE 5521 ROBBERY",
        "BADGE#5521 ROBBERY",
    ],
)
def test_a_title_and_name_or_a_badge_identifies_the_requester(audit, rte):
    assert "RTE_NO_REQUESTER" not in rules_of(audit([{"rte": rte}]))


@pytest.mark.parametrize(
    "rte",
    [
        "ROBBERY",
        "#26-001234 ROBBERY",  # a case number, not a badge
        "#1 ROBBERY",  # too short
        "#1234567 ROBBERY",  # too long
        "DETSMITH ROBBERY",  # the title must be a whole word
        "ROBBERY DET",  # no name after the title
        "IDENTITY ROBBERY 1234",
    ],
)
def test_it_flags_an_rte_without_a_requester(audit, rte):
    assert "RTE_NO_REQUESTER" in rules_of(audit([{"rte": rte}]))


def test_the_attention_column_identifies_the_requester_by_itself(audit):
    assert audit([{"rte": "ROBBERY 26-001234", "attention": "J. DOE"}]) == {}


# -- RTE_NO_REASON ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "rte",
    [
        "DET SMITH DUI",
        "DET SMITH PROBATION SEARCH",
        "DET SMITH PROBATION   SEARCH",
        "DET SMITH DV/ARREST",
        "DET SMITH (HOMICIDE)",
        "det smith narcotics",
    ],
)
def test_a_reason_term_is_a_specific_reason(audit, rte):
    assert "RTE_NO_REASON" not in rules_of(audit([{"rte": rte}]))


@pytest.mark.parametrize(
    ("rte", "detail"),
    [
        ("DET SMITH ADVISED", "the RTE holds no reason term"),  # DV inside a word
        ("DET SMITH ARRESTED", "the RTE holds no reason term"),  # ARREST inflected
        ("DET SMITH PROBATION", "the RTE holds no reason term"),  # half a phrase
        ("DET SMITH INVESTIGATION", "generic reason only: INVESTIGATION"),
        ("DET SMITH LAW ENFORCEMENT", "generic reason only: LAW ENFORCEMENT"),
        ("DET SMITH RECORDS CHECK", "generic reason only: RECORDS"),
    ],
)
def test_it_flags_an_rte_without_a_specific_reason(audit, rte, detail):
    assert audit([{"rte": rte, "case_number": "26-1"}]) == {
        (1, "RTE_NO_REASON"): detail
    }


# -- CASE_MISSING ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "rte",
    [
        "DET SMITH DUI 26-001234",
        "DET SMITH DUI 2026-1234",
        "DET SMITH DUI SO26-004411",
        "DET SMITH DUI CR123456",
        "DET SMITH DUI #26-001234",
        "DET SMITH DUI CASE:26-0012",
    ],
)
def test_a_case_number_in_the_rte_is_enough(audit, rte):
    assert audit([{"rte": rte}]) == {}


def test_the_case_number_column_is_enough(audit):
    assert audit([{"rte": "DET SMITH DUI", "case_number": "X1"}]) == {}


@pytest.mark.parametrize(
    "rte",
    [
        "DET SMITH DUI",
        "DET SMITH DUI DOB 01-15-1980",  # a date is not a case number
        "DET SMITH DUI 555-1234",  # nor a phone number
        "DET SMITH DUI 2026-03-01",
    ],
)
def test_it_warns_when_no_case_number_is_found(audit, rte):
    found = audit([{"rte": rte}])
    assert found == {
        (1, "CASE_MISSING"): "case_number is blank and the RTE holds no case number"
    }


# -- Vocabularies are configurable ---------------------------------------------------


def test_an_agency_vocabulary_replaces_the_default(audit):
    rules = default_rules().with_overrides(
        reason_terms=("TRESPASS",), case_patterns=(r"\bRPT[0-9]{4}\b",)
    )
    assert audit([{"rte": "DET SMITH TRESPASS RPT1234"}], rules=rules) == {}
    found = audit([{"rte": "DET SMITH ROBBERY 26-001234"}], rules=rules)
    assert rules_of(found) == {"RTE_NO_REASON", "CASE_MISSING"}


def test_agency_message_keys_decide_what_is_audited(audit):
    rules = default_rules().with_overrides(chri_keys=("CII",))
    assert audit([{"message_key": "QH", "rte": ""}], rules=rules) == {}
    assert rules_of(audit([{"message_key": "CII", "rte": ""}], rules=rules)) == {
        "RTE_MISSING",
        "CASE_MISSING",
    }


# -- Lead rules ------------------------------------------------------------------------

PEOPLE = People(
    accounts=[("OP1", "E1", None), ("op2", "E2", "2026-02-20")],
    persons=[
        ("E1", "Alvarez", "Maria", None),
        ("E2", "O'Brien", "Sean", "2026-02-15"),
        ("E3", "De La Cruz", "Ana Lucia", None),
    ],
)


@pytest.mark.parametrize(
    "name", ["ALVAREZ,MARIA", "alvarez, maria j", "ALVAREZ JR,MARIA", "ÁLVAREZ,MARÍA"]
)
def test_it_flags_a_query_of_the_operators_own_name(audit, name):
    found = audit([{"subject_name": name}], people=PEOPLE)
    assert found == {
        (1, "SELF_QUERY"): "the subject's name is the operator's own (employee E1)"
    }


@pytest.mark.parametrize(
    "name", ["DELACRUZ,ANA", "DE-LA-CRUZ,ANA MARIA", "OBRIEN,SEAN III", "O'BRIEN,SEAN"]
)
def test_it_flags_a_query_of_a_coworker(audit, name):
    found = audit([{"subject_name": name}], people=PEOPLE)
    assert list(found) == [(1, "COWORKER_QUERY")]


@pytest.mark.parametrize(
    "name", ["ALVAREZ,MARIO", "ALVAREZ-PEREZ,MARIA", "MARIA ALVAREZ", "ALVAREZ,", ""]
)
def test_other_names_are_not_the_operator_or_a_coworker(audit, name):
    assert audit([{"subject_name": name}], people=PEOPLE) == {}


@pytest.mark.parametrize(
    ("operator", "day", "detail"),
    [
        ("OP9", "2026-03-02", "operator ID OP9 matches no account"),
        ("OP2", "2026-02-16", "the person separated on 2026-02-15"),
        ("OP2", "2026-02-20", "the account was disabled on 2026-02-20"),
    ],
)
def test_it_flags_an_operator_who_was_not_authorized(audit, operator, day, detail):
    found = audit(
        [{"operator_id": operator, "timestamp": f"{day}T10:00:00"}], people=PEOPLE
    )
    assert found == {(1, "OPERATOR_NOT_AUTHORIZED"): detail}


@pytest.mark.parametrize("operator", ["OP1", "op1", "OP2"])
def test_an_authorized_operator_is_not_flagged(audit, operator):
    # OP2's person separated on 2026-02-15: that day itself is still allowed.
    found = audit(
        [{"operator_id": operator, "timestamp": "2026-02-15T23:00:00"}], people=PEOPLE
    )
    assert found == {}


def test_the_date_of_a_query_is_the_agencys_local_date(audit):
    # 2026-02-20 06:00 UTC is still 2026-02-19 in Los Angeles: before disabling.
    found = audit(
        [{"operator_id": "OP2", "timestamp": "2026-02-20T06:00:00Z"}], people=PEOPLE
    )
    assert rules_of(found) == {"OPERATOR_NOT_AUTHORIZED"}
    assert found[(1, "OPERATOR_NOT_AUTHORIZED")].startswith("the person separated")


def test_accounts_differing_only_in_case_give_one_finding_per_rule(tmp_path):
    people = People(
        accounts=[("op1", "E1", None), ("OP1", "E1", "2026-01-01")],
        persons=[("E1", "Alvarez", "Maria", None)],
    )
    path = testing.make_querylog(
        tmp_path / "log.csv", [{"operator_id": "OP1", "subject_name": "ALVAREZ,MARIA"}]
    )
    _, found = run_audit(path, people)
    # The account still active counts: no OPERATOR_NOT_AUTHORIZED.
    assert [(row, rule) for row, rule, _ in found] == [(1, "SELF_QUERY")]


def test_lead_rules_need_a_roster(tmp_path):
    path = testing.make_querylog(tmp_path / "log.csv", [{"operator_id": "NOBODY"}])
    result, found = run_audit(path)
    assert found == []
    assert set(result.not_checked) == {
        "SELF_QUERY",
        "COWORKER_QUERY",
        "OPERATOR_NOT_AUTHORIZED",
        "OFF_SHIFT",
        "RELEASE_NOT_LOGGED",  # no release log without --agency
        "COVERAGE_GAP",  # a property of the archive, not of one file
    }


# -- REPEAT_SUBJECT --------------------------------------------------------------------


def repeat(times_and_operators, **subject):
    return [
        {"timestamp": ts, "operator_id": op, **subject}
        for ts, op in times_and_operators
    ]


def test_three_operators_within_a_week_flag_every_query_in_the_window(audit):
    found = audit(
        repeat(
            [
                ("2026-03-02T08:00:00", "OP1"),
                ("2026-03-05T08:00:00", "OP2"),
                ("2026-03-09T07:59:00", "OP3"),
                ("2026-03-20T08:00:00", "OP1"),
            ]
        )
    )
    assert {row for row, rule in found if rule == "REPEAT_SUBJECT"} == {1, 2, 3}
    assert found[(3, "REPEAT_SUBJECT")] == (
        "queried by 3 distinct operators within 168 hours from 2026-03-02 08:00"
    )


def test_the_window_is_168_hours(audit):
    found = audit(
        repeat(
            [
                ("2026-01-10T08:00:00", "OP1"),
                ("2026-01-12T08:00:00", "OP2"),
                ("2026-01-17T08:00:01", "OP3"),
            ]
        )
    )
    assert found == {}


def test_one_operator_querying_often_is_not_a_repeat(audit):
    rows = repeat([(f"2026-03-0{d}T08:00:00", "OP1") for d in range(1, 8)])
    assert audit(rows) == {}


def test_the_subject_is_name_and_dob_and_both_must_be_given(audit):
    times = [("2026-03-02T08:00:00", "OP1"), ("2026-03-03T08:00:00", "OP2")]
    other_dob = [
        {
            "timestamp": "2026-03-04T08:00:00",
            "operator_id": "OP3",
            "subject_dob": "1999-09-09",
        }
    ]
    assert audit(repeat(times) + other_dob) == {}
    no_dob = repeat(times + [("2026-03-04T08:00:00", "OP3")], subject_dob="")
    assert audit(no_dob) == {}


def test_a_name_without_a_comma_is_a_subject_too(audit):
    times = [
        ("2026-03-02T08:00:00", "OP1"),
        ("2026-03-03T08:00:00", "OP2"),
        ("2026-03-04T08:00:00", "OP3"),
    ]
    found = audit(repeat(times, subject_name="MADONNA", subject_dob="1958-08-16"))
    assert {row for row, rule in found if rule == "REPEAT_SUBJECT"} == {1, 2, 3}


def test_name_variants_are_the_same_subject(audit):
    rows = [
        {
            "timestamp": "2026-03-02T08:00:00",
            "operator_id": "OP1",
            "subject_name": "ROE,RICHARD",
        },
        {
            "timestamp": "2026-03-03T08:00:00",
            "operator_id": "OP2",
            "subject_name": "roe, richard m",
        },
        {
            "timestamp": "2026-03-04T08:00:00",
            "operator_id": "OP3",
            "subject_name": "ROE JR,RICHARD",
        },
    ]
    assert len([k for k in audit(rows) if k[1] == "REPEAT_SUBJECT"]) == 3


def test_threshold_and_window_are_configurable(audit):
    rows = repeat([("2026-03-02T08:00:00", "OP1"), ("2026-03-02T09:00:00", "OP2")])
    two = default_rules().with_overrides(repeat_operators=2, repeat_hours=2)
    assert len(audit(rows, rules=two)) == 2
    short = default_rules().with_overrides(repeat_operators=2, repeat_hours=0)
    assert audit(rows, rules=short) == {}


# -- The hand-checked sample file --------------------------------------------------------


def test_the_sample_file_matches_its_hand_checked_findings_row_by_row(tmp_path):
    out = tmp_path / "findings.csv"
    from accdesk.querylogs.people import people_from_files

    result = audit_file_sample(
        out, people_from_files(DATA / "sample_roster.csv", DATA / "sample_accounts.csv")
    )
    expected = (DATA / "sample_findings.csv").read_text().splitlines()
    assert out.read_text().splitlines() == expected
    assert result.rows == 27
    assert result.chri_rows == 24
    assert result.skipped == [
        (23, "timestamp 'March 12' is not an ISO 8601 date and time"),
        (24, "Expected Number of Columns: 12 Found: 13"),
    ]


def audit_file_sample(out, people):
    from accdesk.querylogs.audit import audit_file

    return audit_file(
        DATA / "sample_log.csv",
        rules=default_rules(),
        tz="America/Los_Angeles",
        people=people,
        findings_out=out,
    )
