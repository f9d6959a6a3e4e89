"""Root URLconf. Agency pages live under /a/<ori>/ and each goes through
``agency.tenancy.agency_view`` (the ``ori`` converter is registered by the agency
app); the walk in tests/test_tenancy.py checks them all."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("accdesk.dashboard.urls")),
    path("", include("accdesk.access.urls")),
    path("a/<ori:ori>/", include("accdesk.agency.urls")),
    path("a/<ori:ori>/changes/", include("accdesk.changes.urls")),
    path("a/<ori:ori>/evidence/", include("accdesk.evidence.urls")),
    path("a/<ori:ori>/agreements/", include("accdesk.agreements.urls")),
    path("a/<ori:ori>/sites/", include("accdesk.terminals.urls")),
    path("a/<ori:ori>/investigations/", include("accdesk.investigations.urls")),
    path("a/<ori:ori>/releases/", include("accdesk.releaselogs.urls")),
    path("a/<ori:ori>/roster/", include("accdesk.personnel.urls")),
    path("a/<ori:ori>/querylogs/", include("accdesk.querylogs.urls")),
    path("admin/", admin.site.urls),
]

# The 500 page with the navigation; 400, 403 and 404 use Django's handlers, which
# render 400.html, 403.html and 404.html (all on templates/_error.html).
handler500 = "accdesk.dashboard.views.server_error"
