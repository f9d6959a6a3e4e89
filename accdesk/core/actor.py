"""Who is acting right now: set per web request and per command, read by the
change record. Free of Django models so the ``accdesk`` entry point can use it
before Django is set up."""

from __future__ import annotations

import contextvars
import getpass
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, the operator on the CLI, or the system."""

    label: str
    user_id: int | None = None
    request_id: str = ""
    # The agency whose page is being served: records of objects that belong to no
    # agency (a user account) made there are filed under it.
    agency_id: int | None = None


SYSTEM = Actor(label="system")
_current: contextvars.ContextVar[Actor] = contextvars.ContextVar(
    "actor", default=SYSTEM
)


def current_actor() -> Actor:
    return _current.get()


@contextmanager
def acting_as(label: str, user_id: int | None = None) -> Iterator[Actor]:
    """Attribute every change made inside the block to ``label`` (and user)."""
    actor = Actor(label=label, user_id=user_id, request_id=uuid.uuid4().hex[:16])
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


@contextmanager
def in_agency(agency_id: int) -> Iterator[Actor]:
    """Within the block, the current actor acts inside agency ``agency_id``."""
    actor = replace(_current.get(), agency_id=agency_id)
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def operator_label() -> str:
    """``cli:<os user>``: how commands run by the server operator are recorded."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "cli:unknown"
