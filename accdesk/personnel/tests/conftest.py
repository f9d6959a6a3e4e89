"""Fixtures of the roster tests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def frozen_today():
    """Freeze the clock at 2026-06-15 late evening in California -- already the
    16th in UTC -- so a date computed in UTC instead of the agency's time zone
    fails. Returns that agency-local date."""
    with time_machine.travel(dt.datetime(2026, 6, 16, 5, tzinfo=dt.UTC), tick=False):
        yield TODAY
