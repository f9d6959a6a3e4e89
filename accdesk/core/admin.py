from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from accdesk.core.models import ChangeRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed and viewed, never added, changed or deleted from the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: object | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: object | None = None
    ) -> bool:
        return False


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    """Nobody, superusers included, may change or delete the trail (AU-9)."""

    list_display = ("at", "actor_label", "action", "event", "object_repr")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_repr", "event", "message")
