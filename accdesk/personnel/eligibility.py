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
from decimal import Decimal
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
# Which initial CLETS courses train an account of each access level. The full
# course covering less-than-full accounts is ACC Desk's inference (its topics
# include the inquiry-only ones).
SUFFICIENT_COURSES = {
    "full": ("clets_full_initial",),
    "ltf": ("clets_full_initial", "clets_ltf_initial"),
}
# PPP: 6 hours of lecture for full access, 4 for less than full access. A
# record with fewer hours does not count; one with no hours given does.
MIN_HOURS = {"clets_full_initial": Decimal(6), "clets_ltf_initial": Decimal(4)}
# A person with an active account and no role level is held to this one.
DEFAULT_ROLE_LEVEL = "general"

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
# Issue 12.
ROLE_LEVEL_MISSING = "ROLE_LEVEL_MISSING"
INITIAL_TRAINING_DUE = "INITIAL_TRAINING_DUE"
INITIAL_TRAINING_MISSING = "INITIAL_TRAINING_MISSING"
CLEARANCE_NOT_APPROVED = "CLEARANCE_NOT_APPROVED"
CSO_DECISION_PENDING = "CSO_DECISION_PENDING"
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
    ROLE_LEVEL_MISSING,
    INITIAL_TRAINING_DUE,
    INITIAL_TRAINING_MISSING,
    CLEARANCE_NOT_APPROVED,
    CSO_DECISION_PENDING,
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
    ROLE_LEVEL_MISSING: (
        "No role level: record the role level (held to general user meanwhile)",
        "CJISSECPOL v5.9.5 AT-3",
    ),
    INITIAL_TRAINING_DUE: (
        "New operator: initial CLETS training due",
        "CLETS PPP: within 6 months of appointment",
    ),
    INITIAL_TRAINING_MISSING: (
        "No initial CLETS training",
        "CLETS PPP: within 6 months of appointment",
    ),
    CLEARANCE_NOT_APPROVED: (
        "Clearance not approved by the agency head",
        "CJISSECPOL v5.9.5 §5.12; CLETS PPP 1.9.2",
    ),
    CSO_DECISION_PENDING: (
        "Arrest or conviction after access: CSO decision pending",
        "CJISSECPOL v5.9.5 §5.12.1",
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
    result: str = "no_record"  # pending / no_record / record
    approved_date: dt.date | None = None  # the agency head's approval
    cso_decision: str = ""  # granted / denied / "" (a record found)
    rap_back_expires: dt.date | None = None
    # An arrest or conviction reported after access, and the CSO's decision.
    reported_date: dt.date | None = None
    reported_decision: str = ""  # granted / denied / ""
    reported_decision_date: dt.date | None = None


@dataclass(slots=True)
class Completion:
    """A security awareness training, or a NexTEST certification."""

    kind: str  # training level (unescorted...) or NexTEST test (full/ltf/...)
    completed_date: dt.date
    expiration_date: dt.date | None = None
    score: Decimal | None = None  # NexTEST: blank is a pass notation
    hours: Decimal | None = None  # initial CLETS training: lecture hours


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
    clets_assigned_date: dt.date | None = None  # appointment as an operator
    accounts: list[Account] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    awareness_training: list[Completion] = field(default_factory=list)
    awareness_tests: list[Completion] = field(default_factory=list)  # NexTEST SA
    forms: dict[str, dt.date] = field(default_factory=dict)  # form -> first signed
    # Initial CLETS training (kind: clets_full_initial / clets_ltf_initial).
    initial_training: list[Completion] = field(default_factory=list)


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
    # SEPARATED: the day account managers must be told (AC-2(h)).
    notify_by: dt.date | None = None

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
        _testing_rule(person, account, operator_tests, asof, found, upcoming)
    for account in active:
        _initial_training_rule(person, account, asof, found, upcoming)
    for account in active:
        _inactivity_rule(account, asof, found)
    # Only a person with several accounts can have a code twice.
    reasons += _earliest_per_code(found) if len(active) > 1 else found


def _separation_rule(person: PersonFacts, asof: AsOf, reasons: list[Reason]) -> None:
    """Access ends on the separation date itself: ACC Desk's reading of
    CJISSECPOL v5.9.5 §5.12.2 (local access ends immediately on termination; the
    agency ensures state access ends too) -- also when the status says
    ``separated`` and the date is after D. AC-2(h)'s 1 day is the notice to
    account managers: ``notify_by``. With no date from HR, the separation is known
    now: due today."""
    pol, day = asof.policy, asof.day
    left = person.separation_date
    if left is None:
        notify = pol.after(P.SEPARATION_NOTICE_DAYS, day, on=day)
        reasons.append(
            Reason(SEPARATED, DEACTIVATE, day, "no date on the roster", None, notify)
        )
        return
    notify = pol.after(P.SEPARATION_NOTICE_DAYS, left, on=day)
    reasons.append(Reason(SEPARATED, DEACTIVATE, left, "on", left, notify))


def appointed(person: PersonFacts, account: Account) -> dt.date:
    """The day the operator was appointed: the roster's CLETS assignment date
    when HR gave one, else the account's created date."""
    return person.clets_assigned_date or account.created_date


def passed(test: Completion, pol: Policy) -> bool:
    """A NexTEST result counts only with no score (a pass notation) or a score
    of at least the pass mark in force on the test day (default 70 %: the DOJ
    proficiency exam's; NexTEST's own is not published -- an inference)."""
    return score_passes(test.score, test.completed_date, pol)


def score_passes(score: Decimal | None, day: dt.date, pol: Policy) -> bool:
    """``passed`` for a score and its test day (the person page marks the rest
    "failed")."""
    return score is None or score >= pol.value(P.PASS_MARK, day)


def _testing_rule(
    person: PersonFacts,
    account: Account,
    operator_tests: dict[str, list[Completion]],
    asof: AsOf,
    reasons: list[Reason],
    upcoming: list[Reason] | None,
) -> None:
    """NexTEST: operators recertify every 12 months (CLETS PPP via SFPD DN 24-096);
    new operators certify within 6 calendar months of appointment (CJISSECPOL
    §3.2.7; applying it to the first test is ACC Desk's inference); delinquent
    accounts are disabled within 7 days."""
    sufficient = SUFFICIENT_TESTS.get(account.access_level)
    if sufficient is None:
        return
    day = asof.day
    op = account.operator_id
    pol = asof.policy
    tests = [t for t in operator_tests.get(op, ()) if passed(t, pol)]
    latest = _latest_expiry(tests, sufficient, asof.nextest_ends, day)
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
    grace_end = pol.after(P.NEW_OPERATOR_MONTHS, appointed(person, account), on=day)
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


def _initial_training_rule(
    person: PersonFacts,
    account: Account,
    asof: AsOf,
    reasons: list[Reason],
    upcoming: list[Reason] | None,
) -> None:
    """CLETS PPP: within 6 months of appointment, 6 hours of lecture and the Full
    Access workbook (full) or 4 hours and the Less Than Full Access workbook
    (ltf). Pending until appointment + 6 months, then a deactivation."""
    courses = SUFFICIENT_COURSES.get(account.access_level)
    if courses is None:
        return
    day = asof.day
    for t in person.initial_training:
        if t.kind in courses and t.completed_date <= day:
            if t.hours is None or t.hours >= MIN_HOURS[t.kind]:
                return
    op = account.operator_id
    end = asof.policy.after(P.NEW_OPERATOR_MONTHS, appointed(person, account), on=day)
    if end >= day:
        text = op + ": initial CLETS training by"
        if upcoming is not None:
            upcoming.append(Reason(INITIAL_TRAINING_DUE, UPCOMING, end, text, end))
        reasons.append(Reason(INITIAL_TRAINING_DUE, PENDING, end, text, end))
        return
    text = op + ": no initial CLETS training; was due"
    reasons.append(Reason(INITIAL_TRAINING_MISSING, DEACTIVATE, end, text, end))


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
    level = person.role_level
    if not level and has_active_account:
        # Issue 12: an account holder with no role level is held to the general
        # user's rules until the ACC records the level.
        level = DEFAULT_ROLE_LEVEL
        reasons.append(
            Reason(ROLE_LEVEL_MISSING, REMEDIATE, asof.day, "record the role level")
        )
    if level:
        _fingerprint_rule(person, kind, asof, reasons, upcoming)
        _training_rule(person, level, kind, asof, reasons, upcoming)
        if not _signed(person, "employee_statement", asof.day):
            reasons.append(Reason(MISSING_STATEMENT, REMEDIATE, asof.day))
    # The administrator flag only adds this acknowledgement: it never removes a
    # requirement of the person's role level or account (issue 12).
    if person.administrator and not _signed(person, "areas_of_liability", asof.day):
        reasons.append(Reason(LIABILITY_UNSIGNED, REMEDIATE, asof.day))


def _fingerprint_rule(
    person: PersonFacts,
    kind: str,
    asof: AsOf,
    reasons: list[Reason],
    upcoming: list[Reason] | None,
) -> None:
    """CJISSECPOL v5.9.5 §5.12.1: state and FBI fingerprint checks before access,
    "completed and approved by the agency head" (§5.12, PPP 1.9.2); a record found
    needs the CSO's grant; an arrest or conviction reported after access needs the
    CSO's decision; reinvestigation every 5 years unless Rap Back is in force."""
    day = asof.day
    # For each check type, its latest decision by D -- on a tie a denial wins
    # (access before clearance is never allowed).
    latest: dict[str, Check] = {}
    awaiting: list[str] = []  # reported after access, no CSO decision by D
    for c in person.checks:
        reported = c.reported_date
        if reported is not None and reported <= day:
            ruled = c.reported_decision_date
            if not c.reported_decision or ruled is None or ruled > day:
                awaiting.append(c.check)
        decided = c.decision_date
        if not c.decision or decided is None or decided > day:
            continue
        seen = latest.get(c.check)
        if seen is None or (decided, c.decision == "denied") > (
            seen.decision_date,
            seen.decision == "denied",
        ):
            latest[c.check] = c
    if awaiting:
        detail = "arrest or conviction reported: " + ", ".join(awaiting)
        reasons.append(Reason(CSO_DECISION_PENDING, REMEDIATE, day, detail))
    not_cleared = [
        t
        for t in CHECKS
        if t not in latest or not _cleared_after_access(latest[t], day)
    ]
    if not_cleared:
        detail = "not cleared: " + ", ".join(not_cleared)
        reasons.append(Reason(NO_FINGERPRINT, kind, day, detail))
        return
    unapproved = [t for t in CHECKS if not _approved(latest[t], day)]
    if unapproved:
        detail = "not approved: " + ", ".join(unapproved)
        reasons.append(Reason(CLEARANCE_NOT_APPROVED, kind, day, detail))
        return
    # The older clearance governs: both checks must be current.
    clearance = min(latest[t].decision_date or day for t in CHECKS)
    due = asof.reinvestigation_ends[clearance]
    exempt, rap_back_ends = _rap_back(person.checks, day)
    if exempt:
        return
    if rap_back_ends is not None and rap_back_ends > due:
        # Issue 12: after the subscription ends, max(clearance + 5 years, its end).
        due = rap_back_ends
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


def _cleared_after_access(check: Check, day: dt.date) -> bool:
    """Decided ``cleared``, and not ended by the CSO's denial of continued access
    after a later arrest or conviction (ACC Desk's choice: that denial ends the
    clearance, so ``NO_FINGERPRINT`` follows)."""
    if check.decision != "cleared":
        return False
    ruled = check.reported_decision_date
    return not (
        check.reported_decision == "denied" and ruled is not None and ruled <= day
    )


def _approved(check: Check, day: dt.date) -> bool:
    """Approved by the agency head on or before ``day``; a ``record`` result also
    needs the CSO's grant (§5.12.1: the CSO decides when a record is found)."""
    approved = check.approved_date
    if approved is None or approved > day:
        return False
    return check.result != "record" or check.cso_decision == "granted"


def _rap_back(checks: list[Check], day: dt.date) -> tuple[bool, dt.date | None]:
    """(exempt from reinvestigation on ``day``, when the Rap Back subscription
    ended or ends). A check submitted on or before ``day`` and marked Rap Back
    exempts while its subscription has not expired (no expiry: indefinitely)."""
    ends: dt.date | None = None
    for c in checks:
        if not c.rap_back or c.submitted_date > day:
            continue
        if c.rap_back_expires is None:
            return True, None
        if ends is None or c.rap_back_expires > ends:
            ends = c.rap_back_expires
    # In force on its expiry date itself; after it, reinvestigation is due.
    return False, ends


def cleared_on(person: PersonFacts, day: dt.date) -> dt.date | None:
    """The day the person was first cleared, as the rules count a clearance:
    for each of the state and FBI checks the earliest approval of a check that
    counts (decided ``cleared``, approved by the agency head, a record granted
    by the CSO, all on or before ``day``); the later of the two. None until both
    exist. The reconciliation's ``access_before_clearance`` compares accounts
    with it (issue 12 §1.8)."""
    first: dict[str, dt.date] = {}
    for c in person.checks:
        decided, approved = c.decision_date, c.approved_date
        if decided is None or decided > day or approved is None:
            continue
        if _cleared_after_access(c, day) and _approved(c, day):
            if c.check not in first or approved < first[c.check]:
                first[c.check] = approved
    if any(t not in first for t in CHECKS):
        return None
    return max(first[t] for t in CHECKS)


def first_training_on(person: PersonFacts, pol: Policy, day: dt.date) -> dt.date | None:
    """The person's first security awareness training on or before ``day``, at
    any level, or a passed NexTEST Security Awareness test (which the training
    rule counts too)."""
    dates = [t.completed_date for t in person.awareness_training]
    dates += [t.completed_date for t in person.awareness_tests if passed(t, pol)]
    dates = [d for d in dates if d <= day]
    return min(dates) if dates else None


# The training levels that satisfy each role level: its own and those above.
_LEVELS_FOR = {level: LEVELS[rank:] for rank, level in enumerate(LEVELS)}
_NEXTEST_COUNTS_FOR = set(LEVELS[: LEVEL_RANK[NEXTEST_AWARENESS_LEVEL] + 1])


def _training_rule(
    person: PersonFacts,
    level: str,
    kind: str,
    asof: AsOf,
    reasons: list[Reason],
    upcoming: list[Reason] | None,
) -> None:
    """AT-2/AT-3: security awareness at the person's level (or higher) before
    access and annually; a passed NexTEST Security Awareness test counts as
    level 2."""
    day = asof.day
    ends = asof.training_ends
    latest = _latest_expiry(person.awareness_training, _LEVELS_FOR[level], ends, day)
    if person.awareness_tests and level in _NEXTEST_COUNTS_FOR:
        pol = asof.policy
        tests = [t for t in person.awareness_tests if passed(t, pol)]
        tested = _latest_expiry(tests, None, ends, day)
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
