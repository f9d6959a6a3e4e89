"""Who may touch CLETS on a date, and whom the ACC must deactivate, by when, and why.

Plain functions over in-memory facts (``facts.load_facts`` reads them in a handful
of queries); no database access here. The rules, their boundaries and their
sources are written out in docs/eligibility.md -- keep the two in step.

Conventions (issue 3):
- Only facts dated on or before the as-of date D count.
- An account is active at D when it was created on or before D and either its
  status is ``active`` or its disabled date is after D.
- A person is separated at D when their employment status is ``separated`` or
  their separation date is on or before D (``is_separated``: the one test, used
  by the reconciliation, the NexTEST export and the roster import too).
- A person hired after D is not employed yet at D: the person rules skip them
  unless they hold an account active at D.
- "12 months" are calendar months (``policy.add_months``); "within N days of D"
  includes both ends.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Protocol

from accdesk.personnel import policy as P
from accdesk.personnel.policy import Policy

# CJISSECPOL v5.9.5 AT-3: four cumulative levels, lowest first.
LEVELS = ("unescorted", "general", "privileged", "security")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
# A NexTEST "Security Awareness" test counts as training at this level.
NEXTEST_AWARENESS_LEVEL = "general"
# Both fingerprint checks are needed (CJISSECPOL v5.9.5 §5.12.1).
CHECKS = ("state", "fbi")
# Which NexTEST tests keep an account of each access level certified.
SUFFICIENT_TESTS = {"full": ("full",), "ltf": ("full", "ltf")}

DEACTIVATE, REMEDIATE, PENDING, EXPIRING = (
    "deactivate",
    "remediate",
    "pending",
    "expiring",
)
# The kind of an ``Item.upcoming`` entry: a date ahead, whatever the window.
UPCOMING = "upcoming"
# Statuses, most urgent first; the status of a reason's kind.
STATUSES = ("must_deactivate", "remediate", "pending", "expiring", "eligible")
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
# How pages name each status (the files keep the codes above). "separated" is a
# page's word for an eligible item whose person has separated (nothing is due).
STATUS_TEXT = {
    "must_deactivate": "Must deactivate",
    "remediate": "Remediate",
    "pending": "Pending",
    "expiring": "Expiring",
    "eligible": "Eligible",
    "separated": "Separated",
}
STATUS_OF_KIND = {
    DEACTIVATE: "must_deactivate",
    REMEDIATE: "remediate",
    PENDING: "pending",
    EXPIRING: "expiring",
}
ACTION_OF_STATUS = {"must_deactivate": "deactivate", "remediate": "remediate"}

# Reason codes in the order they are listed on an item.
SEPARATED = "SEPARATED"
ACCESS_REVOKED = "ACCESS_REVOKED"
ORPHAN_ACCOUNT = "ORPHAN_ACCOUNT"
NO_FINGERPRINT = "NO_FINGERPRINT"
REINVESTIGATION_DUE = "REINVESTIGATION_DUE"
TESTING_DELINQUENT = "TESTING_DELINQUENT"
TESTING_DUE = "TESTING_DUE"
TRAINING_EXPIRED = "TRAINING_EXPIRED"
INACTIVE_90D = "INACTIVE_90D"
MISSING_STATEMENT = "MISSING_STATEMENT"
LIABILITY_UNSIGNED = "LIABILITY_UNSIGNED"
CERTIFICATION_EXPIRING = "CERTIFICATION_EXPIRING"
TRAINING_EXPIRING = "TRAINING_EXPIRING"
REINVESTIGATION_EXPIRING = "REINVESTIGATION_EXPIRING"
# Found by other apps' worklist sources (settings.WORKLIST_SOURCES).
ADDENDUM_MISSING = "ADDENDUM_MISSING"  # agreements
KEY_NOT_RETURNED = "KEY_NOT_RETURNED"  # terminals
# Transfers and access changes (issue 12 §2).
ACCESS_REVIEW_DUE = "ACCESS_REVIEW_DUE"
TRANSFERRED = "TRANSFERRED"
REASONS = (
    SEPARATED,
    ACCESS_REVOKED,
    ORPHAN_ACCOUNT,
    NO_FINGERPRINT,
    REINVESTIGATION_DUE,
    TESTING_DELINQUENT,
    TESTING_DUE,
    TRAINING_EXPIRED,
    INACTIVE_90D,
    MISSING_STATEMENT,
    LIABILITY_UNSIGNED,
    CERTIFICATION_EXPIRING,
    TRAINING_EXPIRING,
    REINVESTIGATION_EXPIRING,
    ADDENDUM_MISSING,
    KEY_NOT_RETURNED,
    ACCESS_REVIEW_DUE,
    TRANSFERRED,
)
_REASON_ORDER = {code: index for index, code in enumerate(REASONS)}
# What each reason means, and where the rule comes from (shown on the pages).
REASON_TEXT = {
    SEPARATED: ("Separated", "CJISSECPOL v5.9.5 AC-2(h), §5.12.2"),
    ACCESS_REVOKED: ("Access revoked", "DOJ ACC training: deactivation triggers"),
    ORPHAN_ACCOUNT: ("Account of no one on the roster", "CJISSECPOL v5.9.5 AC-2(3)"),
    NO_FINGERPRINT: ("No state and FBI clearance", "CJISSECPOL v5.9.5 §5.12.1"),
    REINVESTIGATION_DUE: ("Reinvestigation due", "CJISSECPOL v5.9.5 §5.12.1"),
    TESTING_DELINQUENT: ("NexTEST delinquent", "CLETS PPP (SFPD DN 24-096)"),
    TESTING_DUE: ("New operator: first test due", "CLETS PPP: within 6 months"),
    TRAINING_EXPIRED: ("Security awareness expired", "CJISSECPOL v5.9.5 AT-2, AT-3"),
    INACTIVE_90D: ("Inactive 90 days", "CJISSECPOL v5.9.5 AC-2(3)"),
    MISSING_STATEMENT: ("No Employee/Volunteer Statement", "CLETS PPP; CDCR DOM 47030"),
    LIABILITY_UNSIGNED: ("Areas of Liability not acknowledged", "NCIC; CLETS training"),
    CERTIFICATION_EXPIRING: ("NexTEST expiring", "CJISSECPOL v5.9.5 §3.2.7"),
    TRAINING_EXPIRING: ("Security awareness expiring", "CJISSECPOL v5.9.5 AT-2"),
    REINVESTIGATION_EXPIRING: ("Reinvestigation coming due", "CJISSECPOL §5.12.1"),
    ADDENDUM_MISSING: (
        "No FBI CJIS Security Addendum (HDC 0012)",
        "CJISSECPOL v5.9.5 §5.1.1.5",
    ),
    KEY_NOT_RETURNED: ("Key or combination not returned", "CJISSECPOL v5.9.5 PE-3"),
    ACCESS_REVIEW_DUE: (
        "Access review after a transfer or role change",
        "CJISSECPOL v5.9.5 AC-2(h), §5.12.3",
    ),
    TRANSFERRED: (
        "Transferred: CLETS access no longer needed",
        "CJISSECPOL v5.9.5 AC-2(h), §5.12.3",
    ),
}
STILL_ACTIVE_NOTE = "still active in CLETS"


# -- Facts: what the rules read --------------------------------------------------


@dataclass(slots=True)
class Account:
    operator_id: str
    employee_id: str
    access_level: str  # full / ltf / none
    status: str  # active / disabled
    created_date: dt.date
    last_activity_date: dt.date | None = None
    disabled_date: dt.date | None = None
    marked_deactivated_on: dt.date | None = None  # the ACC's latest mark
    pk: int | None = None

    def active_on(self, day: dt.date) -> bool:
        if self.created_date > day:
            return False
        return self.status == "active" or (
            self.disabled_date is not None and self.disabled_date > day
        )


@dataclass(slots=True)
class Check:
    check: str  # state / fbi
    submitted_date: dt.date
    decision: str = ""  # cleared / denied / ""
    decision_date: dt.date | None = None
    rap_back: bool = False


@dataclass(slots=True)
class Completion:
    """A security awareness training, or a NexTEST certification."""

    kind: str  # training level (unescorted...) or NexTEST test (full/ltf/...)
    completed_date: dt.date
    expiration_date: dt.date | None = None


@dataclass(slots=True)
class AccessChange:
    """A recorded transfer or change of role level, access level or supervisor."""

    change: str  # unit / role_level / access_level / supervisor
    changed_on: dt.date
    access_ends: bool = False  # a transfer to a post without CLETS access
    reviewed_on: dt.date | None = None


# The changes that open an access review: a transfer (unit) or a role level.
REVIEWED_CHANGES = ("unit", "role_level")


@dataclass(slots=True)
class PersonFacts:
    employee_id: str
    name: str
    employment_status: str = "active"
    separation_date: dt.date | None = None
    hire_date: dt.date | None = None
    role_level: str = ""
    administrator: bool = False
    access_revoked_on: dt.date | None = None
    supervisor_employee_id: str = ""
    pk: int | None = None
    accounts: list[Account] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    awareness_training: list[Completion] = field(default_factory=list)
    awareness_tests: list[Completion] = field(default_factory=list)  # NexTEST SA
    forms: dict[str, dt.date] = field(default_factory=dict)  # form -> first signed
    access_changes: list[AccessChange] = field(default_factory=list)


@dataclass
class Facts:
    """Everything the rules read for one agency."""

    people: list[PersonFacts]
    orphan_accounts: list[Account] = field(default_factory=list)
    # NexTEST full/ltf results by operator ID.
    operator_tests: dict[str, list[Completion]] = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)
    # Reasons found by other apps' worklist sources on the as-of date, by employee
    # ID (``personnel.sources``): e.g. a contractor's missing Security Addendum.
    contributed: dict[str, list[Reason]] = field(default_factory=dict)


# -- Results ---------------------------------------------------------------------------


@dataclass(slots=True)
class Reason:
    code: str
    kind: str  # deactivate / remediate / pending / expiring / upcoming
    due: dt.date
    text: str = ""
    # A date shown after ``text``: formatted only when read (a roster of 50,000
    # makes 150,000 reasons; most are never displayed).
    on: dt.date | None = None

    @property
    def detail(self) -> str:
        return f"{self.text} {self.on}" if self.on else self.text


@dataclass(slots=True)
class Item:
    """One line of the worklist: a person, or an orphan account."""

    employee_id: str | None
    name: str
    operator_id: str | None
    operator_ids: list[str]
    reasons: list[Reason]
    status: str
    due_date: dt.date | None
    note: str = ""
    person: PersonFacts | None = None
    accounts: list[Account] = field(default_factory=list)  # active at D
    # ``upcoming``, when it was worked out (``evaluate(..., upcoming=True)``).
    dates_ahead: list[Reason] | None = field(default=None, repr=False)

    @property
    def upcoming(self) -> list[Reason]:
        """What falls due next (certification, training, reinvestigation, first
        test), on or after D, however far ahead, soonest first: the "expiring in
        30/60/90 days" page and the person page.

        Only those pages read it, so the worklist, roster, dashboard and command
        skip it (at 50,000 people it is 100,000 objects and 45,000 sorts); reading
        it from an evaluation that skipped it is a mistake, not "nothing ahead".
        """
        if self.dates_ahead is None:
            raise ValueError("evaluated without upcoming dates: pass upcoming=True")
        return self.dates_ahead

    @property
    def action(self) -> str:
        return ACTION_OF_STATUS.get(self.status, "none")

    @property
    def reason_codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    @property
    def on_default_list(self) -> bool:
        return self.action != "none"

    def overdue(self, as_of: dt.date) -> bool:
        return (
            self.action != "none"
            and self.due_date is not None
            and (self.due_date < as_of)
        )


@dataclass
class Worklist:
    as_of: dt.date
    items: list[Item]

    def listed(self, *, everyone: bool = False) -> list[Item]:
        """The default list: people to deactivate or remediate; or everyone."""
        return self.items if everyone else [i for i in self.items if i.on_default_list]

    def counts_by_status(self) -> dict[str, int]:
        counts = Counter(item.status for item in self.items)
        return {status: counts[status] for status in STATUSES}

    def counts_by_reason(self) -> dict[str, int]:
        counts = Counter(code for item in self.items for code in item.reason_codes)
        return {code: counts[code] for code in REASONS}


# -- Evaluation ------------------------------------------------------------------------


@dataclass(slots=True)
class AsOf:
    """The as-of date D and what the rules compare against on it.

    Worked out once per evaluation instead of once per person: 50,000 people ask
    the same policy questions of the same D. The thresholds make "N days before D"
    tests plain date comparisons (``last < inactive_before`` is ``(D - last).days >
    90``); ``*_ends`` map a record's date to its expiry (``policy.Ends``).
    """

    day: dt.date
    policy: Policy
    expiring_until: dt.date  # D + 30 days: "within 30 days of D", both ends
    inactive_before: dt.date  # last used before it: more than 90 days before D
    training_ends: P.Ends  # completed -> + training interval in force then
    nextest_ends: P.Ends  # completed -> + NexTEST interval in force then
    reinvestigation_ends: P.Ends  # cleared -> + reinvestigation interval

    @classmethod
    def on_day(cls, day: dt.date, pol: Policy) -> AsOf:
        return cls(
            day,
            pol,
            pol.after(P.EXPIRING_DAYS, day, on=day),
            _days_before(day, P.INACTIVITY_DAYS, pol),
            pol.ends(P.TRAINING_MONTHS),
            pol.ends(P.NEXTEST_MONTHS),
            pol.ends(P.REINVESTIGATION_YEARS),
        )


def _days_before(day: dt.date, name: str, pol: Policy) -> dt.date:
    """``day`` minus the number of days ``name`` holds on ``day``."""
    assert P.BASELINE[name].unit == "days", name
    try:
        return day - dt.timedelta(days=pol.value(name, day))
    except OverflowError:  # an absurd value: further back than any date
        return dt.date.min


def evaluate(facts: Facts, as_of: dt.date, *, upcoming: bool = True) -> Worklist:
    """Every person's status on ``as_of``, and one item per active orphan account;
    with ``upcoming``, each item's dates ahead (``Item.upcoming``) too.

    Items come most urgent first: by status, then due date, then name.
    """
    asof = AsOf.on_day(as_of, facts.policy)
    tests = facts.operator_tests
    extra = facts.contributed
    items = [
        _person_item(p, tests, asof, upcoming, extra.get(p.employee_id, ()))
        for p in facts.people
    ]
    items += [
        _orphan_item(account, as_of)
        for account in facts.orphan_accounts
        if account.active_on(as_of)
    ]
    items.sort(key=_urgency)
    return Worklist(as_of, items)


def _urgency(item: Item) -> tuple[int, dt.date, str, str]:
    return (
        _STATUS_RANK[item.status],
        item.due_date or dt.date.max,
        item.name.lower(),
        item.employee_id or item.operator_id or "",
    )


def _reason_order(reason: Reason) -> int:
    return _REASON_ORDER[reason.code]


_due = attrgetter("due")  # the sort key of ``upcoming``, without a Python call


def _orphan_item(account: Account, day: dt.date) -> Item:
    # Not tied to anyone on the roster: AC-2(3) "no longer associated with a
    # user" -- disable within a week, due now. No other rule applies to it.
    detail = (
        f"employee ID {account.employee_id!r} is not on the roster"
        if account.employee_id
        else "no employee ID"
    )
    reason = Reason(ORPHAN_ACCOUNT, DEACTIVATE, day, detail)
    # Nothing falls due for it: its upcoming dates are known to be none.
    return _item(None, "", [account], [account], [reason], [], day)


def _person_item(
    person: PersonFacts,
    tests: dict[str, list[Completion]],
    asof: AsOf,
    with_upcoming: bool,
    contributed: Iterable[Reason] = (),
) -> Item:
    day = asof.day
    known = active = person.accounts  # most people have none: skip the filtering
    if known:
        known = [a for a in known if a.created_date <= day]
        active = [a for a in known if a.active_on(day)]
    # The rules add their reasons, and the dates ahead, to these two lists.
    reasons: list[Reason] = []
    upcoming: list[Reason] | None = [] if with_upcoming else None
    separated = is_separated(person, day)
    if active:
        account_reasons(person, separated, active, tests, asof, reasons, upcoming)
    # Someone hired after D is not employed yet: no person rules, unless they
    # already hold an account active at D (itself suspicious: evaluate them).
    if not separated and (active or not not_hired_yet(person, day)):
        person_reasons(person, bool(active), asof, reasons, upcoming)
    reasons.extend(contributed)
    if len(reasons) > 1:
        reasons.sort(key=_reason_order)
    if upcoming is not None and len(upcoming) > 1:
        upcoming.sort(key=_due)
    return _item(person, person.name, known, active, reasons, upcoming, day)


# The status rank of each reason kind (``STATUSES[rank]`` is the status).
_KIND_RANK = {kind: _STATUS_RANK[status] for kind, status in STATUS_OF_KIND.items()}


def _item(
    person: PersonFacts | None,
    name: str,
    known: list[Account],
    active: list[Account],
    reasons: list[Reason],
    upcoming: list[Reason] | None,
    day: dt.date,
) -> Item:
    rank, due = _STATUS_RANK["eligible"], None
    for r in reasons:  # the most urgent status, the earliest due date
        if _KIND_RANK[r.kind] < rank:
            rank = _KIND_RANK[r.kind]
        if due is None or r.due < due:
            due = r.due
    marked = False
    for a in active:
        if a.marked_deactivated_on is not None and a.marked_deactivated_on <= day:
            marked = True
            break
    return Item(
        person.employee_id if person else None,
        name,
        active[0].operator_id if active else None,
        [a.operator_id for a in known] if known else [],
        reasons,
        STATUSES[rank],
        due,
        STILL_ACTIVE_NOTE if marked else "",
        person,
        active,
        upcoming,
    )


class Employment(Protocol):
    """What ``is_separated`` reads: a ``PersonFacts`` or a ``models.Person``."""

    @property
    def employment_status(self) -> str: ...
    @property
    def separation_date(self) -> dt.date | None: ...


def is_separated(person: Employment, day: dt.date) -> bool:
    """Separated at ``day`` (issue 3): employment status ``separated``, or a
    separation date on or before ``day``. Either is enough: HR's status says the
    person has left whatever date it gives; a date that has passed says so too,
    even when the status was not updated.

    The one definition of "separated": the rules, the reconciliation, the NexTEST
    export and the roster import's "not in HR roster" flag all call it."""
    if person.employment_status == "separated":
        return True
    left = person.separation_date
    return left is not None and left <= day


def not_hired_yet(person: PersonFacts, day: dt.date) -> bool:
    """Hired after ``day``: not employed yet on it (no hire date: employed)."""
    hired = person.hire_date
    return hired is not None and hired > day


# -- Account rules: apply to everyone, separated or not ----------------------------
#
# Each rule adds its reason (if any) to ``reasons``, and a date ahead to ``upcoming``
# unless that is None (not asked for).


def account_reasons(
    person: PersonFacts,
    separated: bool,
    active: list[Account],
    operator_tests: dict[str, list[Completion]],
    asof: AsOf,
    reasons: list[Reason],
    upcoming: list[Reason] | None,
) -> None:
    """The account rules, for a person with ``active`` accounts on D."""
    found: list[Reason] = []
    if separated:
        _separation_rule(person, asof, found)
    revoked = person.access_revoked_on
    if revoked is not None and revoked <= asof.day:
        found.append(Reason(ACCESS_REVOKED, DEACTIVATE, revoked, "on", revoked))
    for account in active:
        _testing_rule(account, operator_tests, asof, found, upcoming)
    for account in active:
        _inactivity_rule(account, asof, found)
    if person.access_changes:
        _transfer_rule(person, asof, found)
    # Only a person with several accounts can have a code twice.
    reasons += _earliest_per_code(found) if len(active) > 1 else found


def _separation_rule(person: PersonFacts, asof: AsOf, reasons: list[Reason]) -> None:
    """AC-2(h): account managers are told within 1 day of a termination: due the
    separation date + 1 day whenever HR gave a date (also when the status says
    ``separated`` and the date is after D). With no date from HR, the separation
    is known now: due today."""
    left = person.separation_date
    if left is None:
        reasons.append(Reason(SEPARATED, DEACTIVATE, asof.day, "no date on the roster"))
        return
    due = asof.policy.after(P.SEPARATION_NOTICE_DAYS, left, on=asof.day)
    reasons.append(Reason(SEPARATED, DEACTIVATE, due, "on", left))


def _testing_rule(
    account: Account,
    operator_tests: dict[str, list[Completion]],
    asof: AsOf,
    reasons: list[Reason],
    upcoming: list[Reason] | None,
) -> None:
    """NexTEST: operators recertify every 12 months (CLETS PPP via SFPD DN 24-096);
    new operators have 180 days; delinquent accounts are disabled within 7 days."""
    sufficient = SUFFICIENT_TESTS.get(account.access_level)
    if sufficient is None:
        return
    day = asof.day
    op = account.operator_id
    latest = _latest_expiry(
        operator_tests.get(op, ()), sufficient, asof.nextest_ends, day
    )
    if latest is not None and latest >= day:
        text = op + ": NexTEST expires"
        if upcoming is not None:
            upcoming.append(
                Reason(CERTIFICATION_EXPIRING, UPCOMING, latest, text, latest)
            )
        if latest <= asof.expiring_until:
            reasons.append(
                Reason(CERTIFICATION_EXPIRING, EXPIRING, latest, text, latest)
            )
        return
    pol = asof.policy
    grace_end = pol.after(P.GRACE_DAYS, account.created_date, on=day)
    if grace_end >= day:
        text = op + ": new operator, certify by"
        if upcoming is not None:
            upcoming.append(Reason(TESTING_DUE, UPCOMING, grace_end, text, grace_end))
        reasons.append(Reason(TESTING_DUE, PENDING, grace_end, text, grace_end))
        return
    lapsed = latest or grace_end
    due = pol.after(P.DISABLE_WITHIN_DAYS, lapsed, on=day)
    text = op + (": NexTEST expired" if latest else ": never tested")
    reasons.append(Reason(TESTING_DELINQUENT, DEACTIVATE, due, text, latest))


def _inactivity_rule(account: Account, asof: AsOf, reasons: list[Reason]) -> None:
    """AC-2(3): accounts inactive 90 days are disabled within a week."""
    last = account.last_activity_date
    if last is None:  # never used: count from its creation
        last = account.created_date
    elif last > asof.day:
        # The CLETS list keeps only the latest use. A use after D says the
        # account was in service then, and says nothing of the weeks before:
        # counting from creation instead would flag every account in use
        # since D, so a past as-of date raises no inactivity (an exception
        # to "only facts on or before D", documented in docs/eligibility.md).
        return
    if last < asof.inactive_before:  # more than 90 days before D
        pol, day = asof.policy, asof.day
        due = pol.after(
            P.DISABLE_WITHIN_DAYS, pol.after(P.INACTIVITY_DAYS, last, on=day), on=day
        )
        text = account.operator_id + ": last used"
        reasons.append(Reason(INACTIVE_90D, DEACTIVATE, due, text, last))


def _transfer_rule(person: PersonFacts, asof: AsOf, reasons: list[Reason]) -> None:
    """The ACC recorded a transfer to a post that needs no CLETS access: the
    accounts are no longer needed. Account managers are told within 1 day of a
    transfer (AC-2(h)), so due the transfer date + the notice days; ACC Desk's
    reading: the account is then disabled (§5.12.3, access reviewed on transfer).
    The latest transfer on or before D decides (a transfer back restores need)."""
    latest = None
    for c in person.access_changes:
        if c.change == "unit" and c.changed_on <= asof.day:
            if latest is None or c.changed_on >= latest.changed_on:
                latest = c
    if latest is not None and latest.access_ends:
        moved = latest.changed_on
        due = asof.policy.after(P.SEPARATION_NOTICE_DAYS, moved, on=asof.day)
        reasons.append(Reason(TRANSFERRED, DEACTIVATE, due, "on", moved))


# -- Person rules: only for people not separated -----------------------------------


def person_reasons(
    person: PersonFacts,
    has_active_account: bool,
    asof: AsOf,
    reasons: list[Reason],
    upcoming: list[Reason] | None,
) -> None:
    """The person rules, for a person not separated on D."""
    # Without an active account the remedy is to fix the gap (or withdraw the
    # person's physical access), not to deactivate anything.
    kind = DEACTIVATE if has_active_account else REMEDIATE
    if has_active_account or person.role_level:
        _fingerprint_rule(person, kind, asof, reasons, upcoming)
    if person.role_level:
        _training_rule(person, kind, asof, reasons, upcoming)
        if not _signed(person, "employee_statement", asof.day):
            reasons.append(Reason(MISSING_STATEMENT, REMEDIATE, asof.day))
    if person.administrator and not _signed(person, "areas_of_liability", asof.day):
        reasons.append(Reason(LIABILITY_UNSIGNED, REMEDIATE, asof.day))
    if person.access_changes:
        _access_review_rule(person, asof, reasons)


def _access_review_rule(person: PersonFacts, asof: AsOf, reasons: list[Reason]) -> None:
    """A transfer or a change of role level opens an access review (CJISSECPOL
    v5.9.5 §5.12.3: access is reviewed on transfer; AC-2(h): account managers are
    told within 1 day), due the change date + the notice days, until the ACC
    records the review. Several open at D: one reason, the earliest due."""
    day = asof.day
    open_on = [
        c.changed_on
        for c in person.access_changes
        if c.change in REVIEWED_CHANGES
        and c.changed_on <= day
        and (c.reviewed_on is None or c.reviewed_on > day)
    ]
    if not open_on:
        return
    first = min(open_on)
    due = asof.policy.after(P.SEPARATION_NOTICE_DAYS, first, on=day)
    text = "changed on" if len(open_on) == 1 else f"{len(open_on)} changes, first on"
    reasons.append(Reason(ACCESS_REVIEW_DUE, REMEDIATE, due, text, first))


def _fingerprint_rule(
    person: PersonFacts,
    kind: str,
    asof: AsOf,
    reasons: list[Reason],
    upcoming: list[Reason] | None,
) -> None:
    """CJISSECPOL v5.9.5 §5.12.1: state and FBI fingerprint checks before access;
    reinvestigation every 5 years unless the person is in Rap Back."""
    day = asof.day
    # One pass over the checks: for each check type, its latest decision by D as
    # (date, denied) -- on a tie a denial wins (True > False): access before
    # clearance is never allowed; and whether one submitted by D is in Rap Back.
    latest: dict[str, tuple[dt.date, bool]] = {}
    rap_back = False
    for c in person.checks:
        if c.rap_back and c.submitted_date <= day:
            rap_back = True
        decided = c.decision_date
        if not c.decision or decided is None or decided > day:
            continue
        key = (decided, c.decision == "denied")
        seen = latest.get(c.check)
        if seen is None or key > seen:
            latest[c.check] = key
    for check in CHECKS:
        if check not in latest or latest[check][1]:
            missing = [c for c in CHECKS if c not in latest or latest[c][1]]
            detail = "not cleared: " + ", ".join(missing)
            reasons.append(Reason(NO_FINGERPRINT, kind, day, detail))
            return
    if rap_back:
        return
    # The older clearance governs: both checks must be current.
    clearance = dt.date.max
    for cleared, denied in latest.values():
        if not denied and cleared < clearance:
            clearance = cleared
    due = asof.reinvestigation_ends[clearance]
    if due < day:
        reasons.append(
            Reason(REINVESTIGATION_DUE, REMEDIATE, due, "cleared", clearance)
        )
        return
    if upcoming is not None:
        upcoming.append(
            Reason(REINVESTIGATION_EXPIRING, UPCOMING, due, "cleared", clearance)
        )
    if due <= asof.expiring_until:
        reasons.append(
            Reason(REINVESTIGATION_EXPIRING, EXPIRING, due, "cleared", clearance)
        )


# The training levels that satisfy each role level: its own and those above.
_LEVELS_FOR = {level: LEVELS[rank:] for rank, level in enumerate(LEVELS)}
_NEXTEST_COUNTS_FOR = set(LEVELS[: LEVEL_RANK[NEXTEST_AWARENESS_LEVEL] + 1])


def _training_rule(
    person: PersonFacts,
    kind: str,
    asof: AsOf,
    reasons: list[Reason],
    upcoming: list[Reason] | None,
) -> None:
    """AT-2/AT-3: security awareness at the person's level (or higher) before
    access and annually; a NexTEST Security Awareness test counts as level 2."""
    day, level = asof.day, person.role_level
    ends = asof.training_ends
    latest = _latest_expiry(person.awareness_training, _LEVELS_FOR[level], ends, day)
    if person.awareness_tests and level in _NEXTEST_COUNTS_FOR:
        tested = _latest_expiry(person.awareness_tests, None, ends, day)
        if tested is not None and (latest is None or tested > latest):
            latest = tested
    if latest is None or latest < day:
        text = "expired" if latest else "none on file"
        reasons.append(Reason(TRAINING_EXPIRED, kind, day, text, latest))
        return
    text = "security awareness expires"
    if upcoming is not None:
        upcoming.append(Reason(TRAINING_EXPIRING, UPCOMING, latest, text, latest))
    if latest <= asof.expiring_until:
        reasons.append(Reason(TRAINING_EXPIRING, EXPIRING, latest, text, latest))


def _signed(person: PersonFacts, form: str, day: dt.date) -> bool:
    first = person.forms.get(form)
    return first is not None and first <= day


# -- Helpers ---------------------------------------------------------------------------


def _latest_expiry(
    completions: Iterable[Completion],
    kinds: tuple[str, ...] | None,
    ends: P.Ends,
    day: dt.date,
) -> dt.date | None:
    """The latest expiry among ``completions`` completed by ``day`` (of one of
    ``kinds``, when given): the expiration date on file, or the completion date
    plus the interval in force when it was completed (``ends``)."""
    latest = None
    for c in completions:
        if c.completed_date <= day and (kinds is None or c.kind in kinds):
            expires = c.expiration_date
            if expires is None:
                expires = ends[c.completed_date]
            if latest is None or expires > latest:
                latest = expires
    return latest


def _earliest_per_code(reasons: list[Reason]) -> list[Reason]:
    """One reason per code (a person with two delinquent accounts is listed once,
    with the earliest due date and every account in the detail)."""
    by_code: dict[str, Reason] = {}
    for reason in reasons:
        seen = by_code.get(reason.code)
        if seen is None:
            by_code[reason.code] = reason
            continue
        first = reason if reason.due < seen.due else seen
        text = "; ".join(x for x in (seen.detail, reason.detail) if x)
        by_code[reason.code] = Reason(first.code, first.kind, first.due, text)
    return list(by_code.values())
