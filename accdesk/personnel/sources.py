"""Worklist reasons that other apps find: the worklist's one extension point.

Some duties the worklist must show belong to records the roster does not hold: a
contractor employee's FBI CJIS Security Addendum (``agreements``), a key not
returned by someone who left (``terminals``), incident-response training
(``incidents``). Those apps sit above ``personnel``, so they cannot be imported
here; each instead names one function in ``settings.WORKLIST_SOURCES`` (an
explicit list, like the dashboard's panels)::

    def source(agency, as_of, people) -> dict[str, list[eligibility.Reason]]

``people`` is ``None`` for the whole agency, or the ``Q`` filter on ``Person`` the
worklist was asked for; the result maps employee IDs to the reasons found on
``as_of``. Each reason's code must be listed in ``eligibility.REASONS`` (its order
is the order reasons are listed in) with its text in ``REASON_TEXT``; the rule
itself lives in the contributing app, in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from accdesk.agency.models import Agency
from accdesk.personnel.eligibility import REASONS, Reason

Source = Callable[[Agency, dt.date, Q | None], dict[str, list[Reason]]]


@cache
def _sources(paths: tuple[str, ...]) -> list[Source]:
    return [import_string(path) for path in paths]


def contributed_reasons(
    agency: Agency, as_of: dt.date, people: Q | None = None
) -> dict[str, list[Reason]]:
    """Every source's reasons on ``as_of``, merged by employee ID."""
    merged: dict[str, list[Reason]] = {}
    for source in _sources(tuple(settings.WORKLIST_SOURCES)):
        for employee_id, reasons in source(agency, as_of, people).items():
            for reason in reasons:
                if reason.code not in REASONS:
                    raise ValueError(
                        f"{reason.code} is not in eligibility.REASONS: list it there"
                    )
            merged.setdefault(employee_id, []).extend(reasons)
    return merged
