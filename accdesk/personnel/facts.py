"""Read one agency's roster inputs into ``eligibility.Facts``: one query per table,
whatever the number of people (the bench target is 50,000 people in under 2 s)."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from operator import attrgetter
from typing import Any, cast

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, DateField, Q, QuerySet
from django.db.models.functions import Cast

from accdesk.agency.models import Agency
from accdesk.personnel.eligibility import (
    Account,
    Check,
    Completion,
    Facts,
    PersonFacts,
)
from accdesk.personnel.models import (
    BackgroundCheck,
    Certification,
    Course,
    Deactivation,
    Person,
    PolicySetting,
    SignedForm,
    SystemAccount,
    TrainingRecord,
)
from accdesk.personnel.policy import Policy

# Forms the rules read; the security awareness acknowledgement is kept as evidence.
RULE_FORMS = (
    SignedForm.Form.EMPLOYEE_STATEMENT,
    SignedForm.Form.AREAS_OF_LIABILITY,
)


def load_policy(agency: Agency) -> Policy:
    return Policy(
        PolicySetting.objects.filter(agency=agency).values_list(
            "name", "effective_from", "value"
        )
    )


def load_facts(agency: Agency, *, people: Q | None = None) -> Facts:
    """All of the agency's facts; with ``people`` (a filter on ``Person``), only
    those people's (and then no orphan accounts: they belong to no one)."""
    people_qs = Person.objects.filter(agency=agency)
    scope = Q()  # narrows the other tables to the people read
    if people is not None:
        people_qs = people_qs.filter(people)
        scope = Q(person__in=people_qs.values("pk"))
    roster = _people(_rows(people_qs, *_PERSON_FIELDS))
    by_pk = {p.pk: p for p in roster.values()}
    accounts = _accounts(agency, None if people is None else list(roster))
    orphans = []
    for account in accounts:
        person = roster.get(account.employee_id)
        if person is not None:
            person.accounts.append(account)
        else:
            orphans.append(account)
    # Earliest first (a person's first active account is their operator ID). Sorted
    # here, not by the query: an ORDER BY sorted every account, a third of that
    # query's time, when only people with several accounts need it.
    for person in roster.values():
        if len(person.accounts) > 1:
            person.accounts.sort(key=_earliest)
    orphans.sort(key=_earliest)
    operator_of = {a.operator_id: a.employee_id for a in accounts}
    certifications = Certification.objects.filter(agency=agency)
    if people is not None:
        certifications = certifications.filter(
            Q(operator_id__in=list(operator_of)) | Q(employee_id__in=list(roster))
        )
    _attach_checks(BackgroundCheck.objects.filter(scope, agency=agency), by_pk)
    _attach_training(TrainingRecord.objects.filter(scope, agency=agency), by_pk)
    _attach_forms(SignedForm.objects.filter(scope, agency=agency), by_pk)
    return Facts(
        people=list(roster.values()),
        orphan_accounts=orphans,
        operator_tests=_certifications(certifications, roster, operator_of),
        policy=load_policy(agency),
    )


def _rows(queryset: QuerySet[Any], *fields: str) -> list[tuple[Any, ...]]:
    """The ``fields`` of each row, straight from the database cursor.

    At 50,000 people the ORM's per-value converters cost more than the rules
    themselves. So dates are read as text (cast in SQL, which also keeps the
    SQLite driver from parsing each one) and parsed by the cached ``day``;
    booleans come as 0/1 on SQLite. Filters and joins still come from the ORM.
    """
    meta = queryset.model._meta
    columns = [
        Cast(name, output_field=CharField())
        if isinstance(meta.get_field(name), DateField)
        else name
        for name in fields
    ]
    try:
        query = queryset.order_by().values_list(*columns).query
        sql, params = query.sql_with_params()
    except EmptyResultSet:  # e.g. a supervisor linked to no one: pk__in=[]
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@functools.cache
def day(value: str | dt.date | None) -> dt.date | None:
    """A date column as read by ``_rows``: SQLite gives ISO text, PostgreSQL a
    date. Cached: a roster holds a few thousand distinct dates."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


# A NOT NULL date column: ``day`` itself (no extra call per value), typed so.
on = cast(Callable[[str | dt.date], dt.date], day)


_PERSON_FIELDS = (
    "employee_id",
    "id",
    "first_name",
    "last_name",
    "employment_status",
    "separation_date",
    "hire_date",
    "role_level",
    "administrator",
    "access_revoked_on",
    "supervisor_employee_id",
    "clets_assigned_date",
)


def _people(rows: list[tuple[Any, ...]]) -> dict[str, PersonFacts]:
    """The people by employee ID. One comprehension, positional arguments: a
    function call or keyword arguments per person cost measurably at 50,000."""
    return {
        emp: PersonFacts(
            emp,
            f"{first} {last}",
            status,
            day(separated),
            day(hired),
            role,
            bool(admin),
            day(revoked),
            boss,
            pk,
            day(assigned),
        )
        for (
            emp,
            pk,
            first,
            last,
            status,
            separated,
            hired,
            role,
            admin,
            revoked,
            boss,
            assigned,
        ) in rows
    }


# Accounts in the order they were created; same day: by operator ID.
_earliest = attrgetter("created_date", "operator_id")


def _accounts(agency: Agency, employee_ids: list[str] | None) -> list[Account]:
    """The accounts (in no order); only those of ``employee_ids`` when given."""
    accounts = SystemAccount.objects.filter(agency=agency)
    marks_qs = Deactivation.objects.filter(agency=agency)
    if employee_ids is not None:
        accounts = accounts.filter(employee_id__in=employee_ids)
        marks_qs = marks_qs.filter(account__employee_id__in=employee_ids)
    marks: dict[int, dt.date] = {}
    for account_id, raw in _rows(marks_qs, "account_id", "deactivated_on"):
        marked = on(raw)
        if account_id not in marks or marked > marks[account_id]:
            marks[account_id] = marked
    rows = _rows(
        accounts,
        "id",
        "operator_id",
        "employee_id",
        "access_level",
        "status",
        "created_date",
        "last_activity_date",
        "disabled_date",
    )
    return [
        Account(
            op,
            emp,
            access,
            status,
            on(created),
            day(last),
            day(disabled),
            marks.get(pk),
            pk,
        )
        for pk, op, emp, access, status, created, last, disabled in rows
    ]


def _certifications(
    certifications: QuerySet[Certification],
    people: dict[str, PersonFacts],
    operator_of: dict[str, str],
) -> dict[str, list[Completion]]:
    """Operator tests by operator ID; Security Awareness tests onto their person
    (found through the operator ID's account, or the employee ID)."""
    operator_tests: dict[str, list[Completion]] = defaultdict(list)
    rows = _rows(
        certifications,
        "operator_id",
        "employee_id",
        "test",
        "completed_date",
        "expiration_date",
        "score",
    )
    for op, emp, test, completed, expires, score in rows:
        completion = Completion(test, on(completed), day(expires), _number(score))
        if test != Certification.Test.SECURITY_AWARENESS:
            if op:
                operator_tests[op].append(completion)
            continue
        person = people.get(operator_of.get(op, "") if op else emp)
        if person is not None:
            person.awareness_tests.append(completion)
    return operator_tests


def _attach_checks(
    checks: QuerySet[BackgroundCheck], by_pk: dict[int, PersonFacts]
) -> None:
    rows = _rows(
        checks,
        "person_id",
        "check_type",
        "submitted_date",
        "decision",
        "decision_date",
        "rap_back",
        "result",
        "approved_date",
        "cso_decision",
        "rap_back_expires",
        "post_access_reported_date",
        "post_access_cso_decision",
        "post_access_decision_date",
    )
    for (
        person_id,
        check,
        submitted,
        decision,
        decided,
        rap_back,
        result,
        approved,
        cso,
        rap_back_expires,
        reported,
        ruling,
        ruled,
    ) in rows:
        person = by_pk.get(person_id)
        if person is not None:
            person.checks.append(
                Check(
                    check,
                    on(submitted),
                    decision,
                    day(decided),
                    bool(rap_back),
                    result,
                    day(approved),
                    cso,
                    day(rap_back_expires),
                    day(reported),
                    ruling,
                    day(ruled),
                )
            )


def _attach_training(
    training: QuerySet[TrainingRecord], by_pk: dict[int, PersonFacts]
) -> None:
    rows = _rows(
        training.filter(course__in=_RULE_COURSES),
        "person_id",
        "course",
        "level",
        "completed_date",
        "expiration_date",
        "hours",
    )
    for person_id, course, level, completed, expires, hours in rows:
        person = by_pk.get(person_id)
        if person is None:
            continue
        if course == Course.SECURITY_AWARENESS:
            person.awareness_training.append(
                Completion(level, on(completed), day(expires))
            )
        else:
            person.initial_training.append(
                Completion(course, on(completed), None, None, _number(hours))
            )


# The courses the rules read: security awareness, and initial CLETS training.
_RULE_COURSES = (
    Course.SECURITY_AWARENESS,
    Course.CLETS_FULL_INITIAL,
    Course.CLETS_LTF_INITIAL,
)


def _number(value: Any) -> Decimal | None:
    """A decimal column as read by ``_rows``: SQLite may give a float or text."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _attach_forms(forms: QuerySet[SignedForm], by_pk: dict[int, PersonFacts]) -> None:
    rows = _rows(forms.filter(form__in=RULE_FORMS), "person_id", "form", "signed_date")
    for person_id, form, raw in rows:
        person = by_pk.get(person_id)
        if person is None:
            continue
        signed = on(raw)
        first = person.forms.get(form)
        if first is None or signed < first:
            person.forms[form] = signed
