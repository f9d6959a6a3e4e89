"""What an ACC may do to the agency's users, in one place for the Users page.

- Nobody changes their own access (role, suspension, removal) or resets their own
  password or second factor here: a second ACC does it, so one session cannot
  raise or hide its own rights (CJISSECPOL v5.9.5 AC-5, separation of duties).
- The agency keeps at least one ACC in force: the last one cannot be demoted,
  suspended or removed (the CLETS PPP requires every agency to designate an ACC).
- Password and second-factor resets touch the sign-in account itself, so only an
  account that belongs to this agency alone (``account_is_ours``) is reset here;
  one shared with another agency is the server operator's.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accdesk.access import accounts
from accdesk.agency.models import Agency, Membership, Role
from accdesk.lib.commandline import accdesk_command

OTHER_AGENCY = (
    "This person also uses ACC Desk with another agency: the server operator manages "
    "their account ({} / {})."
).format(accdesk_command("user add"), accdesk_command("user unlock"))
OWN_ACCESS = (
    "You cannot change your own access or reset your own sign-in here: another "
    "ACC of the agency does it."
)
LAST_ACC = (
    "This is the agency's only Agency CLETS Coordinator in ACC Desk: make someone "
    "else ACC first."
)


class NotAllowed(Exception):
    """An action on a member the rules above refuse; the message says why."""


def account_is_ours(user: accounts.User, agency: Agency) -> bool:
    """Whether the agency's ACC may manage this sign-in account: it belongs to no
    other agency and is not an installation superuser."""
    return (
        not user.is_superuser and not user.memberships.exclude(agency=agency).exists()
    )


def acting_on_someone_else(actor: accounts.User, membership: Membership) -> None:
    if membership.user_id == actor.pk:
        raise NotAllowed(OWN_ACCESS)


def _is_last_acc(membership: Membership) -> bool:
    if membership.role != Role.ACC or not membership.is_in_force():
        return False
    others = Membership.objects.filter(
        agency=membership.agency, role=Role.ACC, user__is_active=True
    ).exclude(pk=membership.pk)
    return not any(m.is_in_force() for m in others)


def check_losing_acc(membership: Membership, new_role: str | None = None) -> None:
    """Refuse to demote, suspend or remove the agency's last ACC in force."""
    if new_role == Role.ACC:
        return
    if _is_last_acc(membership):
        raise NotAllowed(LAST_ACC)


def own_account(membership: Membership) -> accounts.User:
    """The member's sign-in account, when it is this agency's to reset."""
    if not account_is_ours(membership.user, membership.agency):
        raise NotAllowed(OTHER_AGENCY)
    return membership.user


@transaction.atomic
def suspend(actor: accounts.User, membership: Membership) -> None:
    acting_on_someone_else(actor, membership)
    check_losing_acc(membership)
    membership.suspended_at = timezone.now()
    membership.save(update_fields=["suspended_at"])


@transaction.atomic
def reactivate(actor: accounts.User, membership: Membership) -> None:
    acting_on_someone_else(actor, membership)
    membership.suspended_at = None
    membership.save(update_fields=["suspended_at"])


@transaction.atomic
def remove(actor: accounts.User, membership: Membership) -> None:
    acting_on_someone_else(actor, membership)
    check_losing_acc(membership)
    membership.delete()


def reset_password(actor: accounts.User, membership: Membership) -> str:
    acting_on_someone_else(actor, membership)
    return accounts.reset_password(
        own_account(membership), agency_id=membership.agency_id
    )


def reset_mfa(actor: accounts.User, membership: Membership) -> None:
    acting_on_someone_else(actor, membership)
    accounts.reset_mfa(own_account(membership), agency_id=membership.agency_id)
