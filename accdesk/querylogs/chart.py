"""The monthly trend chart of the overview page, drawn on the server as SVG (no
script, no chart library, nothing fetched from elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, BASE, TOP, LEFT = 720, 220, 190, 14, 44


@dataclass(frozen=True)
class Bar:
    month: str
    x: float
    width: float
    y_total: float
    h_total: float
    y_bad: float
    h_bad: float
    label: str


def bars(trend: list[dict[str, Any]]) -> dict[str, Any]:
    """Stacked bars: inquiries per month, the non-compliant part in its own colour."""
    if not trend:
        return {"bars": [], "width": WIDTH, "height": HEIGHT, "ticks": []}
    peak = max(int(m["chri_rows"] or 0) for m in trend) or 1
    scale = (BASE - TOP) / peak
    slot = (WIDTH - LEFT) / len(trend)
    drawn = []
    for i, m in enumerate(trend):
        total, bad = int(m["chri_rows"] or 0), int(m["noncompliant_rows"] or 0)
        rate = (
            f"{100 * (total - bad) / total:.0f}% compliant" if total else "no inquiries"
        )
        drawn.append(
            Bar(
                month=m["month"],
                x=LEFT + i * slot + slot * 0.15,
                width=slot * 0.7,
                y_total=BASE - total * scale,
                h_total=total * scale,
                y_bad=BASE - bad * scale,
                h_bad=bad * scale,
                label=f"{m['month']}: {total} inquiries, {bad} non-compliant ({rate})",
            )
        )
    ticks = [(BASE - v * scale, v) for v in (0, peak // 2, peak)]
    return {
        "bars": drawn,
        "width": WIDTH,
        "height": HEIGHT,
        "ticks": ticks,
        "left": LEFT,
    }
