"""Building and reading the stored worklist (issue 18).

The rules stay in one place: ``personnel.worklist.compute`` (``eligibility.evaluate``)
works out every person of the agency on its today, and ``rebuild`` stores its
items in that order, with each item's dated duties (``personnel.duties``: the
roster's deadlines, by date). The rows are a cache of that result:

- ``signals.py`` raises the agency's ``version`` whenever an input changes (any
  save or delete in the roster's app or a worklist source's app, and the bulk
  writes of imports, which record their changes through ``audit.record_changes``);
- ``current_rows`` and ``current_duties`` rebuild first when the rows are older
  than the latest version or than the agency's today (the first request after its
  midnight, or the hourly job ``rebuild_due`` if it comes first);
- another date than today is computed on the fly by the callers, as before.

Rebuilding works out the rows first, then locks the agency's state row to write
them (on SQLite every transaction takes the write lock: ``transaction_mode``
IMMEDIATE) and re-checks it once the lock is held: when another process stored the
same version meanwhile, it writes nothing. A change committed while a build runs
raises the version after the one the build read, so the rows it stores are stale
at once and the next read builds again: a change is never lost.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from accdesk.agency.models import Agency
from accdesk.lib.listing import Column
from accdesk.personnel import duties, worklist
from accdesk.personnel import eligibility as E
from accdesk.personnel.duties import Duty
from accdesk.personnel.models import Person
from accdesk.personnel.worklistcache.models import (
    WorklistDuty,
    WorklistRow,
    WorklistState,
)

# -- Items to JSON and back ----------------------------------------------------------
#
# Generic over the dataclasses' fields, so a field added to an item or a reason by
# the rules is stored without a change here. A person is kept by its own values
# (pk, employee ID, name, role level, supervisor...), not its facts: the pages read
# only those, and the facts are read again from the roster whenever the rules run.

_CLASSES = {cls.__name__: cls for cls in (E.Reason, E.Account, E.PersonFacts)}


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if type(value).__name__ in _CLASSES:
        fields = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if isinstance(value, E.PersonFacts) and isinstance(v, (list, dict)):
                continue  # the person's facts: not the item's (see above)
            fields[f.name] = _encode(v)
        return {"$t": type(value).__name__, "f": fields}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "$d" in value:
            return dt.date.fromisoformat(value["$d"])
        cls = _CLASSES[value["$t"]]
        return cls(**{k: _decode(v) for k, v in value["f"].items()})
    return value


def encode_item(item: E.Item) -> dict[str, Any]:
    return {f.name: _encode(getattr(item, f.name)) for f in dataclasses.fields(item)}


def decode_item(data: dict[str, Any]) -> E.Item:
    return E.Item(**{name: _decode(value) for name, value in data.items()})


# -- Building -------------------------------------------------------------------------

_STATUS_RANK = {status: rank for rank, status in enumerate(E.STATUSES)}
_REASON_RANK = {code: rank for rank, code in enumerate(E.REASONS)}


def _row(agency: Agency, position: int, item: E.Item) -> WorklistRow:
    person = item.person
    return WorklistRow(
        agency=agency,
        position=position,
        person_id=person.pk if person else None,
        employee_id=item.employee_id or "",
        employee_key=(item.employee_id or "").lower(),
        name=item.name,
        name_key=item.name.lower(),
        operator_keys="".join(f";{op.lower()}" for op in item.operator_ids) + ";",
        # \x01 sorts before any character of an ID: a list sorts as its tuple.
        operators_sort="\x01".join(op.casefold() for op in item.operator_ids),
        status=item.status,
        status_rank=_STATUS_RANK[item.status],
        listed=item.on_default_list,
        due_date=item.due_date,
        reason_codes="".join(f";{code}" for code in item.reason_codes) + ";",
        reasons_sort="".join(
            f"{_REASON_RANK.get(code, len(E.REASONS)):03d}"
            for code in item.reason_codes
        ),
        role_level=person.role_level if person else "",
        supervisor_employee_id=person.supervisor_employee_id if person else "",
        accounts_to_deactivate=len(item.accounts) if item.action == E.DEACTIVATE else 0,
        item=encode_item(item),
    )


def _duty_row(agency: Agency, rank: int, duty: Duty) -> WorklistDuty:
    return WorklistDuty(
        agency=agency,
        kind=duty.kind,
        date=duty.date,
        rank=rank,
        title=duty.title,
        subject=duty.subject,
        source=duty.source,
        person_id=duty.person_pk,
        personal=duty.personal,
    )


def rebuild(agency: Agency, *, force: bool = False) -> bool:
    """Store the agency's worklist on its today, unless it is current already (or
    ``force``). True when it was built.

    The rules run outside the transaction, so that the write lock (all of SQLite's)
    is held only while the rows are written. The rows record the version read
    before the rules ran: a change committed meanwhile has raised it, so they are
    stale at once and the next read builds again."""
    state, _ = WorklistState.objects.get_or_create(agency=agency)
    today = agency.today()
    if not force and state.is_current(today):
        return False
    started = time.monotonic()
    version = state.version
    result = worklist.compute(agency, today, upcoming=True)
    rows = [_row(agency, n, item) for n, item in enumerate(result.items)]
    dated = [
        _duty_row(agency, rank, duty)
        for rank, duty in enumerate(duties.of_items(agency, result.items, today))
    ]
    with transaction.atomic():
        state = WorklistState.objects.select_for_update().get(agency=agency)
        if not force and state.built_version >= version and state.as_of == today:
            return False  # another process stored this version meanwhile
        WorklistRow.objects.filter(agency=agency).delete()
        WorklistRow.objects.bulk_create(rows, batch_size=500)
        WorklistDuty.objects.filter(agency=agency).delete()
        WorklistDuty.objects.bulk_create(dated, batch_size=500)
        WorklistState.objects.filter(agency=agency).update(
            built_version=version,
            as_of=today,
            built_at=timezone.now(),
            build_seconds=time.monotonic() - started,
        )
    return True


def mark_stale(agency_ids: set[int | None]) -> None:
    """Raise the version of these agencies (``None``: a record of no known agency,
    so every agency's), so that their next read rebuilds."""
    states = WorklistState.objects.all()
    if None not in agency_ids:
        states = states.filter(agency_id__in=agency_ids)
    states.update(version=F("version") + 1)


def rebuild_due() -> int:
    """The hourly job: rebuild every agency whose rows are stale or from another
    day (its midnight has passed), so the first page of the day is quick too.
    Returns how many were built."""
    built = 0
    for agency in Agency.objects.all():
        built += rebuild(agency)
    return built


# -- Reading --------------------------------------------------------------------------


def _make_current(agency: Agency) -> None:
    state = WorklistState.objects.filter(agency=agency).first()
    if state is None or not state.is_current(agency.today()):
        rebuild(agency)


def current_rows(agency: Agency, people: Q | None = None) -> QuerySet[WorklistRow]:
    """The agency's stored rows on its today (rebuilt first when stale), of
    ``people`` only when given (a filter on ``Person``, e.g. ``scoping.scope``:
    then without orphan accounts, as ``worklist.compute(people=...)``)."""
    _make_current(agency)
    rows = WorklistRow.objects.filter(agency=agency)
    if people is not None:
        narrowed = Person.objects.filter(agency=agency).filter(people)
        rows = rows.filter(person__in=narrowed.values("pk"))
    return rows


def current_duties(agency: Agency) -> QuerySet[WorklistDuty]:
    """The dated duties of the agency's stored rows on its today (rebuilt first
    when stale)."""
    _make_current(agency)
    return WorklistDuty.objects.filter(agency=agency)


def filter_rows(rows: QuerySet[WorklistRow], data: dict[str, Any]) -> QuerySet:
    """``personnel.views.filter_items`` as a query: text (part of the name, the
    employee ID, or one of the operator IDs), status, reason, role level,
    supervisor."""
    q = (data.get("q") or "").strip().lower()
    if q:
        match = Q(name_key__contains=q) | Q(employee_key=q)
        if ";" not in q:
            match |= Q(operator_keys__contains=f";{q};")
        rows = rows.filter(match)
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    if data.get("reason"):
        rows = rows.filter(reason_codes__contains=f";{data['reason']};")
    if role := data.get("role_level"):
        rows = rows.filter(
            person__isnull=False, role_level="" if role == "none" else role
        )
    if data.get("supervisor"):
        rows = rows.filter(
            person__isnull=False, supervisor_employee_id=data["supervisor"]
        )
    return rows


def items(rows: QuerySet[WorklistRow]) -> list[E.Item]:
    """The items of ``rows``, in the rules' order (downloads, bulk marks)."""
    return [
        decode_item(data)
        for data in rows.order_by("position").values_list("item", flat=True)
    ]


def counts_by_status(rows: QuerySet[WorklistRow]) -> dict[str, int]:
    """``Worklist.counts_by_status`` of the rows: one grouped count."""
    found = Counter(dict(rows.order_by().values_list("status").annotate(n=Count("pk"))))
    return {status: found[status] for status in E.STATUSES}


def accounts_to_deactivate(rows: QuerySet[WorklistRow]) -> int:
    total = rows.order_by().aggregate(n=Sum("accounts_to_deactivate"))["n"]
    return total or 0


def most_overdue(rows: QuerySet[WorklistRow], today: dt.date, n: int) -> list[E.Item]:
    """The ``n`` listed items due longest ago (ties in the rules' order)."""
    due = rows.filter(listed=True, due_date__lt=today).order_by("due_date", "position")
    return [decode_item(data) for data in due.values_list("item", flat=True)[:n]]


def supervisor_choices(rows: QuerySet[WorklistRow]) -> list[tuple[str, str]]:
    """``personnel.views._supervisor_choices`` over the rows: two small queries."""
    ids = set(
        rows.filter(person__isnull=False)
        .exclude(supervisor_employee_id="")
        .order_by()
        .values_list("supervisor_employee_id", flat=True)
        .distinct()
    )
    names = dict(rows.filter(employee_id__in=ids).values_list("employee_id", "name"))
    return sorted(
        ((sid, f"{names.get(sid, 'not on roster')} ({sid})") for sid in ids),
        key=lambda choice: choice[1],
    )


# What each page column sorts by among the stored rows (the same order as the
# items' ``Column.order``: see ``worklist.file_columns``).
_ORDER = {
    "employee_id": "employee_key",
    "name": "name_key",
    "operator_ids": "operators_sort",
    "status": "status_rank",
    "action": "status_rank",
    "reasons": "reasons_sort",
    "due_date": "due_date",
    "role_level": "role_level",
}


def row_columns(columns: list[Column]) -> list[Column]:
    """The page's columns, sorting stored rows (a column with no stored order
    cannot be sorted)."""
    return [
        dataclasses.replace(c, order=_ORDER[c.key])
        if c.key in _ORDER
        else dataclasses.replace(c, sortable=False)
        for c in columns
    ]


def decode_page(listing: Any) -> Any:
    """Turn the rows of a ``lib.listing`` page into items, for the templates."""
    page = listing.page
    page.object_list = [decode_item(row.item) for row in page.object_list]
    return listing
