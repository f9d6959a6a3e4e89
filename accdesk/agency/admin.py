"""The installation's admin for agencies.

Issue 2: a change to the agency head, ACC, SPOC, telephone or address opens a
"Notify DOJ" task. Those changes are made only through ``notices.update_profile``
and ``notices.designate`` (the agency's own pages), so the admin shows them
without letting anyone change them: a change there would reach no DOJ notice.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from accdesk.agency.models import Agency, Designation, DojNotice, Membership
from accdesk.agency.notices import PROFILE_ITEMS
from accdesk.core.admin import ReadOnlyAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("ori", "name", "county", "agency_type", "ori_access")
    search_fields = ("ori", "name")
    inlines = [MembershipInline]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Agency | None = None
    ) -> tuple[str, ...]:
        """The telephone and address are set when the agency is created; after
        that, only the profile page changes them (it opens the DOJ notice)."""
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + tuple(PROFILE_ITEMS) if obj is not None else fields

    def has_delete_permission(
        self, request: HttpRequest, obj: Agency | None = None
    ) -> bool:
        """Never: deleting an agency would take with it records it must keep for
        years -- misuse investigations and their DOJ reports, DOJ notices, the
        release log (11 CCR 707(c)), whose foreign key also protects it."""
        return False


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    list_display = ("agency", "kind", "name", "starts_on", "ends_on")
    list_filter = ("kind",)


@admin.register(DojNotice)
class DojNoticeAdmin(ReadOnlyAdmin):
    list_display = ("agency", "effective_on", "created_at", "sent_on")
