"""Hand entry and editing of the roster's records from a person's page: the
person, their CLETS accounts, training, NexTEST results, background checks and
signed forms (issue 12 §2: a small agency has no HR export).

Each form is built from the record's import format (``imports.FORMATS``): one
field per column, and ``clean`` runs that format's own row parser over the typed
values, so a hand entry is held to exactly the rules of a file row -- the same
accepted values, dates (ISO or US), required columns and cross-column checks --
and names the same fields. The model's unique constraints are checked before
saving. Records are saved through the ORM (``save()``), so the change record and
anything listening to saves (the stored worklist) see every change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction

from accdesk.agency.forms import DateInput
from accdesk.agency.models import Agency
from accdesk.core.imports import ImportFormat
from accdesk.lib.tabular import CellError, RowErrors, cell_problems
from accdesk.personnel import history
from accdesk.personnel.imports import FORMATS
from accdesk.personnel.models import (
    AccessChange,
    BackgroundCheck,
    Certification,
    Person,
    SignedForm,
    SystemAccount,
    TrainingRecord,
)

# Import columns whose model field has another name (``check`` would hide
# ``Model.check``).
_ATTNAME = {"check": "check_type"}


@dataclass(frozen=True)
class Kind:
    """One kind of record entered by hand: its model and import format, and the
    columns that identify it and may not change once it exists."""

    name: str
    label: str
    model: type[models.Model]
    fmt: ImportFormat
    fixed: tuple[str, ...] = ()  # columns shown but not editable on an edit
    linked: bool = True  # belongs to the person (``person`` foreign key)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "person",
            "person",
            Person,
            FORMATS["roster"],
            fixed=("employee_id",),
            linked=False,
        ),
        Kind(
            "account",
            "CLETS account",
            SystemAccount,
            FORMATS["accounts"],
            fixed=("operator_id",),
            linked=False,
        ),
        Kind("training", "training record", TrainingRecord, FORMATS["training"]),
        Kind("nextest", "NexTEST result", Certification, FORMATS["nextest"]),
        Kind("check", "background check", BackgroundCheck, FORMATS["background"]),
        Kind("form", "signed form", SignedForm, FORMATS["forms"]),
    )
}


def _as_text(value: Any) -> str:
    """A stored value as a file cell would hold it (what the parser reads)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    return str(value)


def _form_field(model_field: models.Field, column: str) -> forms.Field:
    """A text-like field for one column: the import parser does the checking."""
    label = str(model_field.verbose_name)
    label = label[:1].upper() + label[1:]
    help_text = str(model_field.help_text or "")
    if isinstance(model_field, models.DateField):
        return forms.CharField(
            label=label, required=False, widget=DateInput(), help_text=help_text
        )
    if isinstance(model_field, models.BooleanField):
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("no", "no"), ("yes", "yes")],
            help_text=help_text,
        )
    if model_field.choices:
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", "—"), *model_field.choices],
            help_text=help_text,
        )
    widget = (
        forms.Textarea(attrs={"rows": 2})
        if isinstance(model_field, models.TextField)
        else None
    )
    return forms.CharField(
        label=label, required=False, strip=True, widget=widget, help_text=help_text
    )


class RecordForm(forms.Form):
    """A hand entry of one record of ``kind`` for ``person`` (for a new person:
    ``person`` is None). ``cleaned_data["values"]`` holds the parsed values."""

    def __init__(
        self,
        *args: Any,
        kind: Kind,
        agency: Agency,
        person: Person | None,
        instance: models.Model | None = None,
        **kwargs: Any,
    ) -> None:
        self.kind = kind
        self.agency = agency
        self.person = person
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", self._initial(instance))
        super().__init__(*args, **kwargs)
        for column in self.columns:
            attname = _ATTNAME.get(column, column)
            field = _form_field(kind.model._meta.get_field(attname), column)
            if instance is not None and column in kind.fixed:
                field.disabled = True
            self.fields[column] = field
        if kind.name == "nextest":
            self._holder_choices()

    @property
    def columns(self) -> list[str]:
        """The format's columns a person does not imply (their employee ID)."""
        implied = () if self.kind.name == "person" else ("employee_id",)
        return [c for c in self.kind.fmt.columns if c not in implied]

    def _initial(self, instance: models.Model) -> dict[str, str]:
        return {
            column: _as_text(getattr(instance, _ATTNAME.get(column, column), ""))
            for column in self.kind.fmt.columns
            if hasattr(instance, _ATTNAME.get(column, column))
        }

    def _holder_choices(self) -> None:
        """A NexTEST result belongs to one of the person's operator IDs, or (staff
        with none) to their employee ID."""
        assert self.person is not None
        ops = SystemAccount.objects.filter(
            agency=self.agency, employee_id=self.person.employee_id
        ).values_list("operator_id", flat=True)
        self.fields["operator_id"] = forms.ChoiceField(
            label="Operator ID",
            required=False,
            choices=[("", "(none: by employee ID)"), *((op, op) for op in ops)],
        )

    def raw(self) -> dict[str, str]:
        """The typed values as the import parser reads a row."""
        data = self.cleaned_data
        raw = {column: str(data.get(column) or "").strip() for column in self.columns}
        if self.person is not None and self.kind.name != "person":
            raw["employee_id"] = self.person.employee_id
        if self.instance is not None:
            for column in self.kind.fixed:
                raw[column] = _as_text(
                    getattr(self.instance, _ATTNAME.get(column, column))
                )
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        raw = self.raw()
        problems = cell_problems(raw)
        values: dict[str, Any] = {}
        try:
            values = self.kind.fmt.parse(raw)
        except RowErrors as exc:
            problems += exc.errors
        except CellError as exc:
            problems.append(exc)
        for problem in problems:
            self._error(problem.column, problem.message)
        if problems:
            return data
        data["values"] = values
        data["record"] = self._record(values)
        try:
            data["record"].validate_constraints()
        except ValidationError as exc:
            self.add_error(None, exc)
        return data

    def _error(self, column: str | None, message: str) -> None:
        column = {v: k for k, v in _ATTNAME.items()}.get(column or "", column)
        field = column if column in self.fields else None
        label = self.fields[column].label if field else column
        self.add_error(field, message if field or not label else f"{label}: {message}")

    def _record(self, values: dict[str, Any]) -> models.Model:
        """The record with the parsed values applied (not saved)."""
        model = self.kind.model
        record = self.instance or model(agency=self.agency)
        names = {f.attname for f in model._meta.concrete_fields}
        for name, value in values.items():
            if name in names and name not in ("id", "agency_id", "person_id"):
                setattr(record, name, value)
        if self.kind.linked:
            record.person = self.person
        elif self.kind.name == "account":
            assert self.person is not None
            record.employee_id = self.person.employee_id
        return record

    def save(self, *, by: str = "") -> models.Model:
        """Save the record (``by``: who, for the subclasses' access changes)."""
        record: models.Model = self.cleaned_data["record"]
        record.save()
        return record


class PersonForm(RecordForm):
    """The person's roster columns, their unit, and when a change of unit, role
    level or supervisor took effect (kept as a dated history)."""

    unit = forms.CharField(
        required=False,
        max_length=80,
        help_text="Unit or assignment. A change is a transfer: it opens an "
        "access review.",
    )
    changed_on = forms.DateField(
        label="Changes of unit, role level or supervisor took effect on",
        required=False,
        widget=DateInput(),
    )
    change_note = forms.CharField(label="Note on the change", required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, kind=KINDS["person"], **kwargs)
        self.today = today
        self.fields["changed_on"].initial = today
        if self.instance is not None:
            self.fields["unit"].initial = self.instance.unit

    def clean_changed_on(self) -> dt.date:
        on = self.cleaned_data.get("changed_on") or self.today
        if on > self.today:
            raise forms.ValidationError("This date cannot be in the future.")
        return on

    def save(self, *, by: str = "") -> Person:
        person: Person = self.cleaned_data["record"]
        person.unit = self.cleaned_data.get("unit", "")
        with transaction.atomic():
            if self.instance is None:
                person.save()
                return person
            # Read from the database: ``clean`` set the new values on the instance.
            before = history.person_values(self.agency, [person.employee_id])
            person.save()
            history.record_person_changes(
                self.agency,
                before,
                on=self.cleaned_data["changed_on"],
                by=by,
                note=self.cleaned_data.get("change_note", ""),
            )
        return person


class AccountForm(RecordForm):
    """A CLETS account of the person; a change of its access level is kept as a
    dated access change."""

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, kind=KINDS["account"], **kwargs)
        self.today = today

    def save(self, *, by: str = "") -> SystemAccount:
        account: SystemAccount = self.cleaned_data["record"]
        with transaction.atomic():
            before = history.account_levels(self.agency, [account.operator_id])
            account.save()
            history.record_level_changes(self.agency, before, on=self.today, by=by)
        return account


class TransferForm(forms.Form):
    """A transfer: the new unit, from when, and whether the new post still needs
    CLETS access (if not, ``TRANSFERRED``: deactivate)."""

    changed_on = forms.DateField(label="Transferred on", widget=DateInput())
    unit = forms.CharField(label="New unit", max_length=80)
    access_ends = forms.BooleanField(
        label="The new post needs no CLETS access (deactivate the accounts)",
        required=False,
    )
    note = forms.CharField(
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["changed_on"].initial = today

    def clean_changed_on(self) -> dt.date:
        on: dt.date = self.cleaned_data["changed_on"]
        if on > self.today:
            raise forms.ValidationError("This date cannot be in the future.")
        return on

    def save(self, person: Person, *, by: str) -> AccessChange:
        data = self.cleaned_data
        with transaction.atomic():
            change = AccessChange.objects.create(
                agency=person.agency,
                person=person,
                changed_on=data["changed_on"],
                change=AccessChange.Change.UNIT,
                old_value=person.unit,
                new_value=data["unit"].strip(),
                access_ends=data["access_ends"],
                note=data["note"].strip(),
                recorded_by=by,
            )
            person.unit = data["unit"].strip()
            person.save(update_fields=["unit"])
        return change


class ReviewChangeForm(forms.Form):
    """The ACC's record that the access of a transferred person (or one whose
    role level changed) was reviewed (CJISSECPOL v5.9.5 §5.12.3)."""

    reviewed_on = forms.DateField(label="Access reviewed on", widget=DateInput())
    review_note = forms.CharField(
        label="Outcome",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. level kept, level lowered, accounts disabled",
    )

    def __init__(self, *args: Any, today: dt.date, change: AccessChange, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.change = change
        self.fields["reviewed_on"].initial = today

    def clean_reviewed_on(self) -> dt.date:
        on: dt.date = self.cleaned_data["reviewed_on"]
        if on > self.today:
            raise forms.ValidationError("This date cannot be in the future.")
        if on < self.change.changed_on:
            raise forms.ValidationError(
                f"The change was only made on {self.change.changed_on:%Y-%m-%d}."
            )
        return on

    def save(self, *, by: str) -> AccessChange:
        change = self.change
        change.reviewed_on = self.cleaned_data["reviewed_on"]
        change.review_note = self.cleaned_data["review_note"].strip()
        change.reviewed_by = by
        change.save(update_fields=["reviewed_on", "review_note", "reviewed_by"])
        return change
