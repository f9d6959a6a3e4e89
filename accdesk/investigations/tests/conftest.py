from __future__ import annotations

import pytest

from accdesk.personnel.models import Person


@pytest.fixture
def person(agency):
    """Someone on ``agency``'s roster, who can be the subject of a case."""
    return Person.objects.create(
        agency=agency, employee_id="E1042", last_name="Doe", first_name="Jamie"
    )
