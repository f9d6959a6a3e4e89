from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
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

    def admin_view(self, view, cacheable=False):  # noqa: ANN001, ANN201
        """A signed-in user without admin rights gets a 403 at once, rather than
        Django's redirect to the admin's sign-in (which would send them back)."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # noqa: ANN002, ANN003
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    def login(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        if request.user.is_authenticated:
            # Signed in, but not a superuser: sending them to sign in again would
            # bounce straight back here (a redirect loop). Say no instead.
            raise PermissionDenied
        query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
        return HttpResponseRedirect(f"{reverse('access:signin')}?{query}")


class AccDeskAdminConfig(AdminConfig):
    """Django's admin app, with the site above as its default site."""

    default_site = "accdesk.access.admin_site.SuperuserAdminSite"
