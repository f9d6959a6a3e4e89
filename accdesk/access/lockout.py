"""Account lockout after repeated failed sign-ins (CJISSECPOL v5.9.5 AC-7).

AC-7: "Enforce a limit of 5 consecutive invalid logon attempts by a user during a
15-minute time period" and "automatically lock the account ... until released by an
administrator". django-axes can expire *failures* or *lockouts* after a cool-off,
but not "failures expire after 15 minutes while the lock never does", so ACC Desk
keeps this small model of its own.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accdesk.access.history import record_signin_event
from accdesk.access.models import SignInFailure, User
from accdesk.core.actor import acting_as
from accdesk.core.audit import record_event


def register_failure(user: User | None, email: str, stage: str, ip: str | None) -> bool:
    """Count one failed attempt; lock the account at the limit. Returns True when
    the account is locked (now or already).

    The count must hold whatever the concurrency (AC-7 "whatever the number of
    parallel attempts"): the user's row is locked first -- ``select_for_update``
    on PostgreSQL; on SQLite every transaction takes the write lock at BEGIN
    (``transaction_mode = IMMEDIATE``) -- so failures of one account are
    counted one after another, each seeing every failure committed before it.
    """
    now = timezone.now()
    with transaction.atomic():
        if user is not None:
            user = User.objects.select_for_update().get(pk=user.pk)
        SignInFailure.objects.create(
            user=user, email=email[:254], stage=stage, at=now, ip=ip
        )
        with acting_as(email[:254], user.pk if user else None):
            record_signin_event(user, "signin.failed", message=f"{stage} rejected")
        if user is None:
            return False
        if user.is_locked:
            return True
        window_start = max(
            now - timedelta(minutes=settings.LOCKOUT_WINDOW_MINUTES),
            user.failures_counted_from,
        )
        recent = SignInFailure.objects.filter(user=user, at__gte=window_start).count()
        if recent < settings.LOCKOUT_ATTEMPTS:
            return False
        with acting_as(user.email, user.pk):
            user.locked_at = now
            user.save(update_fields=["locked_at"])
            record_signin_event(
                user,
                "signin.locked",
                obj=user,
                message=f"locked after {recent} failures",
            )
        return True


def register_success(user: User) -> None:
    """A complete sign-in: earlier failures stop counting (AC-7 says consecutive)."""
    user.failures_counted_from = timezone.now()
    user.save(update_fields=["failures_counted_from"])


def unlock(user: User, agency_id: int | None = None) -> None:
    """Release a locked account; recorded as an event with the acting user."""
    user.locked_at = None
    user.failures_counted_from = timezone.now()
    user.save(update_fields=["locked_at", "failures_counted_from"])
    record_event(
        "signin.unlocked",
        agency_id=agency_id,
        obj=user,
        message=f"{user.email} unlocked",
    )
