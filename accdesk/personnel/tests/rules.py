"""In-memory facts for the rule tests: ``person()`` is fully eligible on ``D``
unless told otherwise, so each test changes only what it is about."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accdesk.personnel.eligibility import (
    Account,
    Check,
    Completion,
    Facts,
    Item,
    PersonFacts,
    evaluate,
)
from accdesk.personnel.policy import Policy

D = dt.date(2026, 6, 15)
LONG_VALID = dt.date(2099, 12, 31)


def days(n: int, start: dt.date = D) -> dt.date:
    return start + dt.timedelta(days=n)


def account(
    operator_id: str = "OP1", employee_id: str = "E1", at: dt.date = D, **kw: Any
) -> Account:
    kw.setdefault("access_level", "full")
    kw.setdefault("status", "active")
    kw.setdefault("created_date", days(-500, at))
    kw.setdefault("last_activity_date", days(-5, at))
    return Account(operator_id, employee_id, **kw)


def cleared(on: dt.date, **kw: Any) -> list[Check]:
    """Cleared state and FBI checks, decided and approved ``on``."""
    kw.setdefault("approved_date", on)
    return [
        Check(check, on - dt.timedelta(days=20), "cleared", on, **kw)
        for check in ("state", "fbi")
    ]


def person(employee_id: str = "E1", at: dt.date = D, **kw: Any) -> PersonFacts:
    """Eligible on ``at`` (default ``D``), except for what ``kw`` changes."""
    kw.setdefault("name", f"Person {employee_id}")
    kw.setdefault("role_level", "general")
    if "accounts" not in kw:
        kw["accounts"] = [account(f"OP-{employee_id}", employee_id, at)]
    kw.setdefault("checks", cleared(days(-400, at)))
    level = kw["role_level"] or "general"
    kw.setdefault("awareness_training", [Completion(level, days(-100, at))])
    kw.setdefault("forms", {"employee_statement": days(-500, at)})
    kw.setdefault(
        "initial_training", [Completion("clets_full_initial", days(-500, at))]
    )
    return PersonFacts(employee_id, **kw)


def facts(
    *people: PersonFacts,
    tests: dict[str, list[Completion]] | None = None,
    orphans: list[Account] | None = None,
    policy: Policy | None = None,
) -> Facts:
    """By default every full/ltf account holds a NexTEST certification, taken when
    it was created and valid for decades."""
    if tests is None:
        tests = {
            a.operator_id: [Completion(a.access_level, a.created_date, LONG_VALID)]
            for p in people
            for a in p.accounts
            if a.access_level in ("full", "ltf")
        }
    return Facts(list(people), orphans or [], tests, policy or Policy())


def item(p: PersonFacts, on: dt.date = D, **kw: Any) -> Item:
    """The worklist item of ``p`` alone on ``on``."""
    (result,) = evaluate(facts(p, **kw), on).items
    return result


def due(result: Item, code: str) -> dt.date:
    return next(r.due for r in result.reasons if r.code == code)
