from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accdesk.access import lockout
from accdesk.access.models import SignInFailure, User


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
class SignInFailureAdmin(admin.ModelAdmin):
    list_display = ("at", "email", "stage", "ip")
    readonly_fields = ("user", "email", "stage", "at", "ip")

    def has_add_permission(self, request):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False
