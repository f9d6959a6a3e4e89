from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accdesk.access.sealing import open_seed, recovery_hash
from accdesk.core.audit import Audited


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save()
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(Audited, AbstractUser):
    """A person who signs in to ACC Desk (not a CLETS operator account: those are
    ``personnel.SystemAccount``). Identified by email; MFA is mandatory."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    must_change_password = models.BooleanField(
        default=False, help_text="Set for one-time passwords; cleared when changed."
    )
    locked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Locked after repeated failed sign-ins (AC-7); stays locked "
        "until an ACC or superuser unlocks it.",
    )
    failures_counted_from = models.DateTimeField(
        default=timezone.now,
        help_text="Failed sign-ins before this moment (last success or unlock) "
        "no longer count toward a lockout.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc]

    audit_private_fields = frozenset({"password"})
    audit_ignored_fields = frozenset({"last_login", "failures_counted_from"})

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Sign-in looks addresses up in lower case: store them that way, whatever
        # path created the user (form, admin, command).
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class SignInFailure(models.Model):
    """One failed password or code entry, counted toward the AC-7 lockout.

    Kept apart from the change record because it is counted, not just read; the
    change record gets a ``signin.failed`` event for each as well.
    """

    class Stage(models.TextChoices):
        PASSWORD = "password"
        CODE = "code"

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE)
    email = models.CharField(max_length=254, help_text="As typed.")
    stage = models.CharField(max_length=8, choices=Stage.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.email} ({self.stage})"


class SealedTOTPDevice(TOTPDevice):
    """django-otp's TOTP device whose seed is stored encrypted (``sealing.py``).
    A proxy: same table, so django-otp's middleware and admin keep working."""

    class Meta:
        proxy = True

    @property
    def bin_key(self) -> bytes:
        return open_seed(self.key, self.user_id)


class SealedStaticDevice(StaticDevice):
    """Recovery codes stored only as keyed hashes (``sealing.py``)."""

    class Meta:
        proxy = True

    def verify_token(self, token: str) -> bool:
        return super().verify_token(recovery_hash(token))
