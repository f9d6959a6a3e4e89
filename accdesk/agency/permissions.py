"""Who may do what inside an agency: the one registry of actions and roles.

Every agency view names its action in ``@agency_view("...")``; the "Who can do
what" page and docs/permissions.md are rendered from this table. Add a line here
when you add a view, then run ``make docs`` (tests/test_docs.py fails until the
file matches).
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
        "Add users, change roles, suspend and reactivate or remove access, reset "
        "passwords and two-step sign-in, unlock locked accounts",
        frozenset({ACC}),
    ),
    Action(
        "changes.view",
        "Search the change record (audit trail); see its weekly reviews and failed "
        "nightly integrity checks",
        frozenset({ACC, SPOC}),
    ),
    Action(
        "changes.review",
        "Record the weekly review of the change record (CJISSECPOL AU-6)",
        frozenset({ACC, SPOC}),
    ),
    # What's due (accdesk/deadlines): every app's dated duties in one list. Each
    # kind is also limited to the roles that may see its app's records.
    Action(
        "deadlines.view",
        "See what's due (every dated duty), its calendar, and download it",
        READERS,
    ),
    Action(
        "deadlines.reminders",
        "Choose which e-mail reminders and digest you get",
        READERS,
    ),
    Action(
        "deadlines.defaults",
        "Set the agency's default reminders",
        frozenset({ACC}),
    ),
    # Evidence files (accdesk/evidence): a member also needs the right to see (or
    # edit) the record a file is attached to, which that record's model names.
    Action(
        "evidence.view",
        "Open the evidence files of records one may see (every download recorded)",
        EVERYONE,
    ),
    Action(
        "evidence.add",
        "Upload evidence files and new versions to records one may edit; mark "
        "them superseded (files are never deleted)",
        frozenset({ACC, SPOC}),
    ),
    # Agreements and forms on file (accdesk/agreements, issue 13).
    Action(
        "agreements.view",
        "See the agreements register, vendors and kinds of agreement; export it",
        READERS,
    ),
    Action(
        "agreements.edit",
        "Add and edit agreements, vendors and the agency's kinds of agreement",
        frozenset({ACC}),
    ),
    Action("agreements.import", "Import agreements from a file", frozenset({ACC})),
    # Sites, terminals, physical security and system documentation (accdesk/
    # terminals, issue 13): security records, the SPOC's as much as the ACC's.
    Action(
        "sites.view",
        "See sites, terminals, inspections, physical access records and system "
        "documentation; export them",
        READERS,
    ),
    Action(
        "sites.edit",
        "Add and edit sites, terminals, inspections, corrective actions, reviews, "
        "keys and system documents; sign off inspections and the inventory",
        frozenset({ACC, SPOC}),
    ),
    Action(
        "sites.import",
        "Import the terminal inventory from a file",
        frozenset({ACC, SPOC}),
    ),
    # Misuse investigations are restricted to the ACC, and the SPOC read-only
    # (issue 5); every view of a case is recorded.
    Action(
        "investigations.view",
        "See misuse investigations, their journals and the annual DOJ report",
        frozenset({ACC, SPOC}),
    ),
    Action(
        "investigations.edit",
        "Open, edit, close and reopen misuse investigations; add notes; import",
        frozenset({ACC}),
    ),
    Action(
        "investigations.send_report",
        "Record that the annual misuse report was sent to DOJ",
        frozenset({ACC}),
    ),
    # Third-party release log (11 CCR §707(c)): inspectors and auditors read and
    # export it; only the ACC and SPOC record releases (and corrections).
    Action(
        "releaselog.view",
        "See the third-party release log and its chain state",
        READERS,
    ),
    Action(
        "releaselog.record",
        "Record a release of CORI/III, or a correction of an entry",
        frozenset({ACC, SPOC}),
    ),
    Action(
        "releaselog.export",
        "Export the release log for inspection (CSV, printable page, PDF)",
        frozenset({ACC, SPOC, AUDITOR}),
    ),
    Action(
        "releaselog.verify",
        "Verify the release log's hash chain",
        frozenset({ACC, SPOC, AUDITOR}),
    ),
    Action(
        "releaselog.import",
        "Import an existing release log from a file",
        frozenset({ACC}),
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
        "roster.approve",
        "Record the agency head's approval of background checks",
        frozenset({ACC}),
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
    # Query-log audit (accdesk/querylogs). Subject names and dates of birth are
    # for the ACC and SPOC only, and every view of them is recorded.
    Action(
        "querylogs.view",
        "See query-log audit results, findings, imports and audit sets",
        READERS,
    ),
    Action(
        "querylogs.import", "Import query logs into the archive", frozenset({ACC, SPOC})
    ),
    Action(
        "querylogs.subjects",
        "See the names and dates of birth of query subjects (each view recorded)",
        frozenset({ACC, SPOC}),
    ),
    Action(
        "querylogs.review",
        "Draw audit sets and record reviewer dispositions",
        frozenset({ACC, SPOC}),
    ),
    Action(
        "querylogs.leads",
        "See misuse leads and dismiss them or refer them to an investigation",
        frozenset({ACC, SPOC}),
    ),
    Action(
        "querylogs.rules",
        "Change the agency's query-log vocabularies and thresholds",
        frozenset({ACC}),
    ),
]

ACTIONS: dict[str, Action] = {action.name: action for action in _ACTIONS}


def can(role: str, action: str) -> bool:
    """Whether ``role`` may perform ``action``; an unknown action is a bug."""
    return role in ACTIONS[action].roles


def markdown() -> str:
    """docs/permissions.md: the table above as a role-by-action matrix."""
    roles = list(Role)
    lines = [
        "# Who can do what",
        "",
        "<!-- Generated from accdesk/agency/permissions.py by `make docs`;",
        "     tests/test_docs.py fails when the two differ. Edit the table there. -->",
        "",
        "Every agency page and export names one of these actions; the member's role",
        "in that agency decides whether they may perform it (403 otherwise; people",
        "who are not members get 404). The same table is shown in the app under",
        '"Who can do what". Server operators act through `accdesk` commands, and',
        "installation superusers through Django's admin, outside this table.",
        "",
        "Roles:",
        "",
        *(f"- `{role.value}`: {role.label}" for role in roles),
        "",
        "| Action | What it allows | " + " | ".join(r.value for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for action in ACTIONS.values():
        marks = " | ".join("✓" if role in action.roles else "" for role in roles)
        lines.append(f"| `{action.name}` | {action.description} | {marks} |")
    return "\n".join(lines) + "\n"
