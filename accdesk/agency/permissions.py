"""Who may do what inside an agency: the one registry of actions and roles.

Every agency view names its action in ``@agency_view("...")``; the "Who can do
what" page and docs/permissions.md are rendered from this table. Add a line here
when you add a view.
"""

from __future__ import annotations

from dataclasses import dataclass

from accdesk.agency.models import Role

ACC, SPOC, SUPERVISOR, VIEWER, AUDITOR = (
    Role.ACC,
    Role.SPOC,
    Role.SUPERVISOR,
    Role.VIEWER,
    Role.AUDITOR,
)
EVERYONE = frozenset(Role)
READERS = frozenset({ACC, SPOC, VIEWER, AUDITOR})


@dataclass(frozen=True)
class Action:
    name: str
    description: str
    roles: frozenset[Role]


_ACTIONS = [
    Action("dashboard.view", "See the agency dashboard", EVERYONE),
    Action(
        "agency.view",
        "See the agency profile, designated roles and DOJ notices",
        READERS,
    ),
    Action(
        "agency.edit",
        "Change the agency profile and designated roles",
        frozenset({ACC}),
    ),
    Action("notices.send", "Record that a DOJ notice was sent", frozenset({ACC})),
    Action(
        "members.view",
        "See who has access to the agency in ACC Desk",
        frozenset({ACC, SPOC}),
    ),
    Action(
        "members.manage",
        "Add users, change roles, unlock locked accounts",
        frozenset({ACC}),
    ),
    Action(
        "changes.view", "Search the change record (audit trail)", frozenset({ACC, SPOC})
    ),
    # The roster (personnel app, issue 3).
    Action(
        "roster.view",
        "See the roster, the deactivation worklist and expiring items "
        "(a supervisor: only the people assigned to them)",
        EVERYONE,
    ),
    Action(
        "roster.checks",
        "See background-check results on a person's page",
        frozenset({ACC, SPOC, AUDITOR}),
    ),
    Action(
        "roster.reconcile",
        "See the reconciliation of HR roster, CLETS accounts and NexTEST, and the "
        "policy values",
        READERS,
    ),
    Action(
        "roster.import",
        "Import the HR roster, CLETS accounts, NexTEST, training, background "
        "checks and signed forms",
        frozenset({ACC}),
    ),
    Action("roster.deactivate", "Mark CLETS accounts deactivated", frozenset({ACC})),
    Action(
        "roster.revoke", "Record that a person's access was revoked", frozenset({ACC})
    ),
    Action(
        "roster.export",
        "Download the NexTEST list of new operators",
        frozenset({ACC}),
    ),
    Action(
        "roster.policy",
        "Add a dated version of a policy value (intervals, deadlines)",
        frozenset({ACC}),
    ),
]

ACTIONS: dict[str, Action] = {action.name: action for action in _ACTIONS}


def can(role: str, action: str) -> bool:
    """Whether ``role`` may perform ``action``; an unknown action is a bug."""
    return role in ACTIONS[action].roles
