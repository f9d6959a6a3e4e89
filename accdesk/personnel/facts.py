"""Read one agency's roster inputs into ``eligibility.Facts``: one query per table,
whatever the number of people (the bench target is 50,000 people in under 2 s)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet

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
    roster = {row[0]: _person(row) for row in people_qs.values_list(*_PERSON_FIELDS)}
    by_pk = {p.pk: p for p in roster.values()}
    accounts = _accounts(agency, None if people is None else list(roster))
    orphans = []
    for account in accounts:
        person = roster.get(account.employee_id)
        if person is not None:
            person.accounts.append(account)
        else:
            orphans.append(account)
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


_PERSON_FIELDS = (
    "employee_id",
    "pk",
    "first_name",
    "last_name",
    "employment_status",
    "separation_date",
    "role_level",
    "administrator",
    "access_revoked_on",
    "supervisor_employee_id",
)


def _person(row: tuple) -> PersonFacts:  # type: ignore[type-arg]
    employee_id, pk, first, last, status, separated, role, admin, revoked, boss = row
    return PersonFacts(
        employee_id=employee_id,
        name=f"{first} {last}",
        employment_status=status,
        separation_date=separated,
        role_level=role,
        administrator=admin,
        access_revoked_on=revoked,
        supervisor_employee_id=boss,
        pk=pk,
    )


def _accounts(agency: Agency, employee_ids: list[str] | None) -> list[Account]:
    """The accounts, earliest first; only those of ``employee_ids`` when given."""
    accounts = SystemAccount.objects.filter(agency=agency)
    marks_qs = Deactivation.objects.filter(agency=agency)
    if employee_ids is not None:
        accounts = accounts.filter(employee_id__in=employee_ids)
        marks_qs = marks_qs.filter(account__employee_id__in=employee_ids)
    marks: dict[int, dt.date] = {}
    for account_id, on in marks_qs.values_list("account_id", "deactivated_on"):
        if account_id not in marks or on > marks[account_id]:
            marks[account_id] = on
    rows = accounts.order_by("created_date", "operator_id").values_list(
        "pk",
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
            operator_id=op,
            employee_id=emp,
            access_level=access,
            status=status,
            created_date=created,
            last_activity_date=last,
            disabled_date=disabled,
            marked_deactivated_on=marks.get(pk),
            pk=pk,
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
    rows = certifications.values_list(
        "operator_id", "employee_id", "test", "completed_date", "expiration_date"
    )
    for op, emp, test, completed, expires in rows:
        completion = Completion(test, completed, expires)
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
    rows = checks.values_list(
        "person_id",
        "check_type",
        "submitted_date",
        "decision",
        "decision_date",
        "rap_back",
    )
    for person_id, check, submitted, decision, decided, rap_back in rows:
        person = by_pk.get(person_id)
        if person is not None:
            person.checks.append(Check(check, submitted, decision, decided, rap_back))


def _attach_training(
    training: QuerySet[TrainingRecord], by_pk: dict[int, PersonFacts]
) -> None:
    rows = training.filter(course=Course.SECURITY_AWARENESS).values_list(
        "person_id", "level", "completed_date", "expiration_date"
    )
    for person_id, level, completed, expires in rows:
        person = by_pk.get(person_id)
        if person is not None:
            person.awareness_training.append(Completion(level, completed, expires))


def _attach_forms(forms: QuerySet[SignedForm], by_pk: dict[int, PersonFacts]) -> None:
    rows = forms.filter(form__in=RULE_FORMS).values_list(
        "person_id", "form", "signed_date"
    )
    for person_id, form, signed in rows:
        person = by_pk.get(person_id)
        if person is None:
            continue
        first = person.forms.get(form)
        if first is None or signed < first:
            person.forms[form] = signed
