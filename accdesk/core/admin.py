from django.contrib import admin

from accdesk.core.models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """Read-only: nobody, superusers included, may change or delete the trail (AU-9)."""

    list_display = ("at", "actor_label", "action", "event", "object_repr")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_repr", "event", "message")

    def has_add_permission(self, request):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False
