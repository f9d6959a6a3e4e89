"""Calendar arithmetic and dated policy versions."""

from __future__ import annotations

import datetime as dt

import pytest

from accdesk.personnel.policy import (
    BASELINE,
    INACTIVITY_DAYS,
    NEXTEST_MONTHS,
    REINVESTIGATION_YEARS,
    UNITS,
    Policy,
    add_months,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2025, 3, 14), 12, dt.date(2026, 3, 14)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 12, 15), 1, dt.date(2026, 1, 15)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 15), -13, dt.date(2024, 12, 15)),
    ],
)
def test_it_adds_calendar_months(start, months, expected):
    assert add_months(start, months) == expected


def test_every_baseline_value_cites_its_source_and_has_a_unit():
    for baseline in BASELINE.values():
        assert baseline.citation and baseline.unit in UNITS


def test_without_versions_the_baseline_applies():
    policy = Policy()
    assert policy.value(NEXTEST_MONTHS, dt.date(2026, 1, 1)) == 12
    assert policy.after(INACTIVITY_DAYS, dt.date(2026, 1, 1)) == dt.date(2026, 4, 1)
    assert policy.after(REINVESTIGATION_YEARS, dt.date(2020, 2, 29)) == dt.date(
        2025, 2, 28
    )


def test_a_version_applies_from_its_effective_date_until_the_next():
    policy = Policy(
        [
            (NEXTEST_MONTHS, dt.date(2024, 1, 1), 12),
            (NEXTEST_MONTHS, dt.date(2015, 1, 1), 24),
        ]
    )
    assert policy.value(NEXTEST_MONTHS, dt.date(2014, 12, 31)) == 12  # baseline
    assert policy.value(NEXTEST_MONTHS, dt.date(2015, 1, 1)) == 24
    assert policy.value(NEXTEST_MONTHS, dt.date(2023, 12, 31)) == 24
    assert policy.value(NEXTEST_MONTHS, dt.date(2024, 1, 1)) == 12
    assert policy.value(INACTIVITY_DAYS, dt.date(2020, 1, 1)) == 90


def test_an_interval_uses_the_version_in_force_on_the_start_unless_told():
    policy = Policy(
        [
            (NEXTEST_MONTHS, dt.date(2015, 1, 1), 24),
            (NEXTEST_MONTHS, dt.date(2024, 1, 1), 12),
        ]
    )
    start = dt.date(2023, 6, 1)
    assert policy.after(NEXTEST_MONTHS, start) == dt.date(2025, 6, 1)
    assert policy.after(NEXTEST_MONTHS, start, on=dt.date(2024, 6, 1)) == dt.date(
        2024, 6, 1
    )


def test_ends_is_after_from_the_version_in_force_on_the_start():
    policy = Policy(
        [
            (NEXTEST_MONTHS, dt.date(2015, 1, 1), 24),
            (NEXTEST_MONTHS, dt.date(2024, 1, 1), 12),
        ]
    )
    ends = policy.ends(NEXTEST_MONTHS)
    for start in (dt.date(2014, 2, 28), dt.date(2023, 6, 1), dt.date(2024, 2, 29)):
        assert ends[start] == policy.after(NEXTEST_MONTHS, start)
    assert ends[dt.date(2024, 2, 29)] == dt.date(2025, 2, 28)
    assert policy.ends(NEXTEST_MONTHS) is ends  # memoized per policy
