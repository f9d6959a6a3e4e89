import datetime as dt

import pytest

from accdesk.lib import text


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [
        (1, "day", "1 day"),
        (0, "day", "0 days"),
        (2, "day", "2 days"),
        (1234, "row", "1,234 rows"),
        (1, "entry,entries", "1 entry"),
        (3, "entry,entries", "3 entries"),
        (None, "finding", "0 findings"),
    ],
)
def test_it_counts_in_words_that_agree(n, noun, expected):
    assert text.counted(n, noun) == expected


def test_it_writes_numbers_with_thousands_separators():
    assert text.number(10_000_000) == "10,000,000"
    assert text.number(97.25) == "97.2"
    assert text.number(None) == ""


def test_it_writes_dates_us_style_and_times_without_microseconds():
    assert text.us_date(dt.date(2026, 11, 1)) == "Nov 1, 2026"
    assert text.us_date("2026-02-10") == "Feb 10, 2026"
    assert text.us_date(None) == ""
    moment = dt.datetime(2026, 3, 2, 8, 5, 9, 123456)
    assert text.us_datetime(moment) == "Mar 2, 2026 08:05"
    assert text.us_datetime(moment, seconds=True) == "Mar 2, 2026 08:05:09"
