"""Root URLconf. Agency pages live under /a/<ori>/ and each goes through
``agency.tenancy.agency_view`` (the ``ori`` converter is registered by the agency
app); the walk in tests/test_tenancy.py checks them all."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("accdesk.dashboard.urls")),
    path("", include("accdesk.access.urls")),
    path("", include("accdesk.deadlines.calendar_urls")),
    path("a/<ori:ori>/", include("accdesk.agency.urls")),
    path("a/<ori:ori>/changes/", include("accdesk.changes.urls")),
    path("a/<ori:ori>/due/", include("accdesk.deadlines.urls")),
    path("a/<ori:ori>/evidence/", include("accdesk.evidence.urls")),
    path("a/<ori:ori>/agreements/", include("accdesk.agreements.urls")),
    path("a/<ori:ori>/sites/", include("accdesk.terminals.urls")),
    path("a/<ori:ori>/investigations/", include("accdesk.investigations.urls")),
    path("a/<ori:ori>/incidents/", include("accdesk.incidents.urls")),
    path("a/<ori:ori>/releases/", include("accdesk.releaselogs.urls")),
    path("a/<ori:ori>/roster/", include("accdesk.personnel.urls")),
    path("a/<ori:ori>/querylogs/", include("accdesk.querylogs.urls")),
    path("a/<ori:ori>/validations/", include("accdesk.validations.urls")),
    path("a/<ori:ori>/audits/", include("accdesk.audits.urls")),
    path("admin/", admin.site.urls),
]

# Error pages, all on templates/_error.html (navigation and a way back): the 500
# page with the navigation; 403 and 404 are Django's handlers and templates.
handler500 = "accdesk.dashboard.views.server_error"
# A bad filter, sort or page number: the page says why (lib/listing.py).
handler400 = "accdesk.dashboard.bad_request.bad_request"
