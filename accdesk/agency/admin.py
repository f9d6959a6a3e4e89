from django.contrib import admin

from accdesk.agency.models import Agency, Designation, DojNotice, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("ori", "name", "county", "agency_type", "ori_access")
    search_fields = ("ori", "name")
    inlines = [MembershipInline]


@admin.register(Designation)
class DesignationAdmin(admin.ModelAdmin):
    list_display = ("agency", "kind", "name", "starts_on", "ends_on")
    list_filter = ("kind",)


@admin.register(DojNotice)
class DojNoticeAdmin(admin.ModelAdmin):
    list_display = ("agency", "effective_on", "created_at", "sent_on")
