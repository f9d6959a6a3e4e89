from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class SuperuserAdminSite(admin.AdminSite):
    """The admin is for superusers who signed in with MFA through ACC Desk's own
    sign-in; its password-only login form is never offered."""

    site_header = "ACC Desk administration"
    site_title = "ACC Desk admin"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser and user.is_verified())

    def login(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
        return HttpResponseRedirect(f"{reverse('access:signin')}?{query}")


class AccDeskAdminConfig(AdminConfig):
    """Django's admin app, with the site above as its default site."""

    default_site = "accdesk.access.admin_site.SuperuserAdminSite"
