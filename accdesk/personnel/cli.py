"""Helpers shared by the roster's commands."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError


def iso_date(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` option value, or a clear error (exit 1)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date in the form YYYY-MM-DD") from None
