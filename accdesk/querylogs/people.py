"""Where the lead rules get the roster and accounts: the agency's records in the
database (``--agency``), or the roster and accounts files of the eligibility import
(``--roster R --accounts A``), of which only the columns the rules use are read."""

from __future__ import annotations

from pathlib import Path

from accdesk.agency.models import Agency
from accdesk.lib.tabular import CellError, TableError, parse_date, read_rows
from accdesk.personnel.models import Person, SystemAccount
from accdesk.querylogs.duck import People

ROSTER_COLUMNS = ("employee_id", "last_name", "first_name", "separation_date")
# ``disabled_date`` is optional in the eligibility accounts format too.
ACCOUNT_COLUMNS = ("operator_id", "employee_id")
ACCOUNT_OPTIONAL = ("disabled_date",)


class PeopleFileError(Exception):
    """A roster or accounts file the lead rules cannot use."""


def people_of(agency: Agency) -> People | None:
    """The agency's accounts and roster; None while it has no accounts at all (the
    lead rules would otherwise call every operator unauthorized)."""
    accounts = SystemAccount.objects.filter(agency=agency).values_list(
        "operator_id", "employee_id", "disabled_date"
    )
    if not accounts.exists():
        return None
    persons = Person.objects.filter(agency=agency).values_list(
        "employee_id", "last_name", "first_name", "separation_date"
    )
    return People(accounts=list(accounts), persons=list(persons))


def people_from_files(roster: Path, accounts: Path) -> People:
    persons = [
        (v["employee_id"], v["last_name"], v["first_name"], d)
        for v, d in _rows(roster, ROSTER_COLUMNS, "separation_date")
    ]
    account_rows = [
        (v["operator_id"], v["employee_id"], d)
        for v, d in _rows(accounts, ACCOUNT_COLUMNS, "disabled_date", ACCOUNT_OPTIONAL)
    ]
    return People(accounts=account_rows, persons=persons)


def _rows(
    path: Path,
    columns: tuple[str, ...],
    date_column: str,
    optional: tuple[str, ...] = (),
) -> list:
    """``[(values, date)]``; a missing column or a bad date stops with its place."""
    result = []
    try:
        rows = read_rows(path, path.name, required=columns, optional=optional)
        for number, values in rows:
            try:
                result.append((values, parse_date(values, date_column, required=False)))
            except CellError as exc:
                raise PeopleFileError(
                    f"{path.name}: row {number}, column {exc.column!r}: {exc.message}"
                ) from None
    except TableError as exc:
        raise PeopleFileError(f"{path.name}: {exc}") from None
    return result
