"""Non-text contrast (WCAG 2.1 1.4.11) and chart labels (1.4.3), computed from the
stylesheet's own values: the focus ring, field borders and chart bars need 3:1
against what they sit on, chart labels 4.5:1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "accdesk" / "static"
APP_CSS = (STATIC / "css" / "app.css").read_text()
CHART_CSS = (
    STATIC.parent / "querylogs" / "static" / "querylogs" / "chart.css"
).read_text()


def _variables(css: str) -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", css, re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*([^;]+);", root))


VARS = _variables(APP_CSS)


def colour(value: str) -> str:
    """A CSS value as #rrggbb, following var(--x) references."""
    value = value.strip()
    while m := re.fullmatch(r"var\(--([\w-]+)\)", value):
        value = VARS[m.group(1)].strip()
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", value), value
    return value.lower()


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    r, g, b = linear
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: str, b: str) -> float:
    la, lb = sorted((luminance(colour(a)), luminance(colour(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_ratio_matches_the_wcag_examples():
    assert ratio("#000000", "#ffffff") == pytest.approx(21)
    assert ratio("#9cc3ea", "#ffffff") == pytest.approx(1.84, abs=0.01)  # the old ring


@pytest.mark.parametrize(
    ("what", "fg", "bg", "minimum"),
    [
        ("focus ring on cards", "var(--focus-ring)", "var(--card)", 3),
        ("focus ring on the page", "var(--focus-ring)", "var(--bg)", 3),
        ("focus ring in the dark bars", "var(--focus-ring-on-dark)", "var(--brand)", 3),
        (
            "focus ring in the sections bar",
            "var(--focus-ring-on-dark)",
            "var(--brand-2)",
            3,
        ),
        ("field borders", "var(--field-border)", "var(--card)", 3),
        ("chart bars", "var(--chart-bar)", "var(--card)", 3),
        ("chart bars with a finding", "var(--chart-bar-bad)", "var(--card)", 3),
        ("chart labels", "var(--chart-label)", "var(--card)", 4.5),
    ],
)
def test_contrast(what, fg, bg, minimum):
    assert ratio(fg, bg) >= minimum, what


def test_the_rules_use_those_values():
    assert re.search(r"outline: 3px solid var\(--focus-ring\)", APP_CSS)
    assert "outline-color: var(--focus-ring-on-dark)" in APP_CSS
    assert "border: 1px solid var(--field-border)" in APP_CSS
    assert ".ql-axis { fill: var(--chart-label)" in CHART_CSS
    assert ".ql-bar { fill: var(--chart-bar)" in CHART_CSS
    assert ".ql-bar-bad { fill: var(--chart-bar-bad)" in CHART_CSS
