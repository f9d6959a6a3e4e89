"""The incidents app's worklist reasons (``settings.WORKLIST_SOURCES``, see
``personnel/sources.py``); the rules are in ``rules.py``.

- ``IR_TRAINING_EXPIRED`` (remediate): a person in an incident-response role with
  no IR training in force (CJISSECPOL v5.9.5 IR-2).
- ``INCIDENT_RETRAINING_DUE`` (remediate, due 30 days after the discovery): a
  person an incident names as needing training, not trained since (AT-2). The text
  names the incident by its reference only: the worklist is not restricted.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from accdesk.agency.models import Agency
from accdesk.incidents import rules
from accdesk.personnel.eligibility import (
    INCIDENT_RETRAINING_DUE,
    IR_TRAINING_EXPIRED,
    REMEDIATE,
    Reason,
)


def ir_training_expired(
    agency: Agency, as_of: dt.date, people: Q | None
) -> dict[str, list[Reason]]:
    found: dict[str, list[Reason]] = {}
    for person, expired in rules.ir_training_gaps(agency, as_of, people):
        reason = (
            Reason(
                IR_TRAINING_EXPIRED, REMEDIATE, as_of, "IR training expired", expired
            )
            if expired
            else Reason(IR_TRAINING_EXPIRED, REMEDIATE, as_of, "never trained")
        )
        found.setdefault(person.employee_id, []).append(reason)
    return found


def incident_retraining_due(
    agency: Agency, as_of: dt.date, people: Q | None
) -> dict[str, list[Reason]]:
    found: dict[str, list[Reason]] = {}
    for person, incident, due in rules.retraining_due(agency, as_of, people):
        found.setdefault(person.employee_id, []).append(
            Reason(
                INCIDENT_RETRAINING_DUE,
                REMEDIATE,
                due,
                f"after incident {incident.reference} of",
                incident.discovered_on,
            )
        )
    return found
