"""Root URLconf. Agency pages live under /a/<ori>/ and each goes through
``agency.tenancy.agency_view``; the walk in tests/test_tenancy.py checks them all."""

from django.contrib import admin
from django.urls import include, path, register_converter


class OriConverter:
    regex = "[A-Za-z0-9]{9}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(OriConverter, "ori")

urlpatterns = [
    path("", include("accdesk.dashboard.urls")),
    path("", include("accdesk.access.urls")),
    path("a/<ori:ori>/", include("accdesk.agency.urls")),
    path("a/<ori:ori>/changes/", include("accdesk.changes.urls")),
    path("admin/", admin.site.urls),
]
