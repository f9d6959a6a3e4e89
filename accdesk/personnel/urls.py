from django.urls import path

from accdesk.agency.uploads import upload_view
from accdesk.personnel import data_views, views
from accdesk.personnel.imports import FORMATS

app_name = "roster"

# Mounted under /a/<ori>/roster/ (see accdesk/urls.py).
urlpatterns = [
    path("", views.roster, name="list"),
    path("worklist/", views.worklist_page, name="worklist"),
    path("worklist.csv", views.worklist_csv, name="worklist_csv"),
    path("worklist/deactivate/", views.deactivate_bulk, name="deactivate_bulk"),
    path("expiring/", views.expiring, name="expiring"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("checks/approve/", views.approve_checks, name="approve_checks"),
    path("accounts/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("reconciliation/", data_views.reconciliation, name="reconciliation"),
    path("nextest-new-operators.csv", data_views.nextest_export, name="nextest_export"),
    path("policy/", data_views.policy, name="policy"),
    path("policy/new/", data_views.add_policy, name="add_policy"),
    path("import/", data_views.imports, name="imports"),
] + [
    path(
        f"import/{name}/",
        upload_view(
            fmt,
            action="roster.import",
            done="roster:worklist",
            help_template="personnel/_import_help.html",
        ),
        name=f"import_{name}",
    )
    for name, fmt in FORMATS.items()
]
