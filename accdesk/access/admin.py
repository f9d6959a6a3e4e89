from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accdesk.access import lockout
from accdesk.access.models import SignInFailure, User
from accdesk.core.admin import ReadOnlyAdmin
from accdesk.core.audit import record_event


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_superuser", "locked_at")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        (
            "Status",
            {
                "fields": (
                    "is_active",
                    "is_superuser",
                    "is_staff",
                    "must_change_password",
                    "locked_at",
                )
            },
        ),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )
    filter_horizontal = ()
    list_filter = ("is_superuser", "is_active")
    readonly_fields = ("locked_at",)
    actions = ["unlock"]

    @admin.action(description="Unlock the selected accounts (AC-7)")
    def unlock(self, request, queryset):  # noqa: ANN001, ANN201
        for user in queryset.filter(locked_at__isnull=False):
            lockout.unlock(user)


@admin.register(SignInFailure)
class SignInFailureAdmin(ReadOnlyAdmin):
    """Failed attempts. Deleting them would quietly reset the AC-7 count; a locked
    account is released only by the recorded unlock."""

    list_display = ("at", "email", "stage", "ip")
    readonly_fields = ("user", "email", "stage", "at", "ip")


class DeviceAdmin(ReadOnlyAdmin):
    """Who has which second factor, never its secret (the TOTP key, the recovery
    codes: IA-2, IA-5). django-otp's own pages show and edit both, and write no
    change record, so they are replaced by these.

    Devices cannot be added or edited here (a user enrols at sign-in). A superuser
    may delete one -- the way to reset a lost authenticator: the user enrols a new
    one at their next sign-in -- and each deletion is recorded as ``mfa.device_deleted``
    on the user's account.
    """

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__email",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")

    def has_delete_permission(
        self, request: HttpRequest, obj: Device | None = None
    ) -> bool:
        # The one write allowed here (recorded below): Django's own permission check.
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def delete_model(self, request: HttpRequest, obj: Device) -> None:
        with transaction.atomic():
            _record_deletion(obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            for device in queryset.select_related("user"):
                _record_deletion(device)
            super().delete_queryset(request, queryset)


def _record_deletion(device: Device) -> None:
    kind = device._meta.verbose_name
    record_event(
        "mfa.device_deleted",
        obj=device.user,
        message=f"{kind} {device.name!r} of {device.user.email} deleted in the admin",
    )


# Replace django-otp's admin pages, whichever app's admin module loads first
# (theirs ignore AlreadyRegistered).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, DeviceAdmin)
