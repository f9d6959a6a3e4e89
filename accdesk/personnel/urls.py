from django.urls import path

from accdesk.agency.uploads import upload_view
from accdesk.personnel import data_views, entry_views, record_views, views
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
    # Hand entry, transfers, the annual account review and the records an auditor
    # asks for (issue 12 §2).
    path("people/new/", entry_views.person_new, name="person_new"),
    path("people/<int:pk>/edit/", entry_views.person_edit, name="person_edit"),
    path("people/<int:pk>/transfer/", entry_views.transfer, name="transfer"),
    path(
        "people/<int:pk>/changes/<int:change>/review/",
        entry_views.review_change,
        name="review_change",
    ),
    path("people/<int:pk>/<str:kind>/new/", entry_views.record_new, name="record_new"),
    path(
        "people/<int:pk>/<str:kind>/<int:rec>/edit/",
        entry_views.record_edit,
        name="record_edit",
    ),
    path(
        "people/<int:pk>/operator-record.<str:fmt>",
        record_views.person_operator_record,
        name="person_operator_record",
    ),
    path(
        "operator-records.<str:fmt>",
        record_views.operator_records,
        name="operator_records",
    ),
    path(
        "unescorted-access.<str:fmt>",
        record_views.unescorted_access,
        name="unescorted_access",
    ),
    path("reviews/", record_views.reviews_page, name="reviews"),
    path("reviews/start/", record_views.start_review, name="start_review"),
    path("reviews/<int:pk>/", record_views.review, name="review"),
    path(
        "reviews/<int:pk>/lines/<int:line>/",
        record_views.decide_line,
        name="decide_line",
    ),
    path("reviews/<int:pk>/sign-off/", record_views.sign_off, name="sign_off_review"),
    path(
        "reviews/<int:pk>/export.<str:fmt>",
        record_views.export_review,
        name="export_review",
    ),
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
