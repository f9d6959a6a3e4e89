"""Who was not authorized to query CLETS on a day, from the eligibility rules
themselves (issue 12 §1 item 11), for the query-log lead OPERATOR_NOT_AUTHORIZED.

An operator is unauthorized on a day when, evaluated as of that day
(``eligibility.evaluate``), its person has any reason whose action is to
deactivate -- whatever that reason's due date -- or its account was disabled on or
before it. Separation reaches back only as far as the rules date it (the
undated "separated" status does not). The rules are never copied: this module
asks ``eligibility.evaluate`` and turns its answers into intervals that DuckDB
joins against (``querylogs/crossrules.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from accdesk.agency.models import Agency
from accdesk.personnel import eligibility
from accdesk.personnel.eligibility import Account, Facts, Item
from accdesk.personnel.facts import load_facts


@dataclass(frozen=True)
class Interval:
    """``operator_id`` (upper case) was unauthorized on the asked days from
    ``start`` to ``end`` (both included), for ``why``."""

    operator_id: str
    start: dt.date
    end: dt.date
    why: str


def unauthorized_intervals(
    agency: Agency,
    days: Iterable[dt.date],
    facts: Facts | None = None,
    operators: Iterable[str] | None = None,
) -> list[Interval]:
    """The intervals, over the ``days`` asked (the days with queries), in which
    each of the agency's operators -- or only ``operators``, the IDs that queried
    (upper case) -- was not authorized.

    Each day is evaluated on its own; consecutive asked days with the same reasons
    make one interval (the days between them were not asked about)."""
    facts = facts if facts is not None else load_facts(agency)
    if operators is not None:
        facts = _of_operators(facts, set(operators))
    asked = sorted(set(days))
    by_operator: dict[str, list[tuple[dt.date, str]]] = {}
    accounts = [a for p in facts.people for a in p.accounts] + facts.orphan_accounts
    for day in asked:
        flagged: dict[str, str] = {}
        for item in eligibility.evaluate(facts, day, upcoming=False).items:
            codes = sorted({r.code for r in item.reasons if r.kind == "deactivate"})
            if codes:
                for op in _operators(item):
                    flagged[op] = "had to be deactivated (" + ", ".join(codes) + ")"
        for account in accounts:
            op = account.operator_id.strip().upper()
            if account.disabled_date is not None and account.disabled_date <= day:
                flagged.setdefault(
                    op, f"had an account disabled on {account.disabled_date}"
                )
        for op, why in flagged.items():
            by_operator.setdefault(op, []).append((day, why))
    position = {day: i for i, day in enumerate(asked)}
    intervals = []
    for op, flagged_days in sorted(by_operator.items()):
        start, end, why = flagged_days[0][0], flagged_days[0][0], flagged_days[0][1]
        for day, reason in flagged_days[1:]:
            if position[day] == position[end] + 1 and reason == why:
                end = day
                continue
            intervals.append(Interval(op, start, end, why))
            start, end, why = day, day, reason
        intervals.append(Interval(op, start, end, why))
    return intervals


def _of_operators(facts: Facts, operators: set[str]) -> Facts:
    """The facts of the people and orphan accounts with one of ``operators``: a
    person's rules read only that person's facts, and a large agency's log names a
    few hundred of its thousands of people (each asked day evaluates them all)."""

    def queried(accounts: Iterable[Account]) -> bool:
        return any(a.operator_id.strip().upper() in operators for a in accounts)

    return dataclasses.replace(
        facts,
        people=[p for p in facts.people if queried(p.accounts)],
        orphan_accounts=[a for a in facts.orphan_accounts if queried([a])],
    )


def _operators(item: Item) -> set[str]:
    """Every operator ID of the item's person (disabled accounts too: a query
    under any of them is the person's), or the orphan account's."""
    accounts: list[Account] = (
        item.person.accounts if item.person is not None else item.accounts
    )
    ids = {a.operator_id for a in accounts} | set(item.operator_ids)
    return {op.strip().upper() for op in ids if op}
