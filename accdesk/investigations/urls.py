from django.urls import path

from accdesk.agency.uploads import upload_view
from accdesk.investigations import report_views, views
from accdesk.investigations.imports import MISUSE_CASES

app_name = "investigations"

# Mounted under /a/<ori>/investigations/ (see accdesk/urls.py).
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.add_case, name="add"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_case, name="edit"),
    path("<int:pk>/close/", views.close_case, name="close"),
    path("<int:pk>/reopen/", views.reopen_case, name="reopen"),
    path("<int:pk>/notes/", views.add_note, name="add_note"),
    path(
        "import/",
        upload_view(
            MISUSE_CASES,
            action="investigations.edit",
            done="investigations:list",
            help_template="investigations/_import_help.html",
        ),
        name="import",
    ),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/<int:year>/", report_views.report_page, name="report"),
    path(
        "reports/<int:year>.<slug:fmt>",
        report_views.download_report,
        name="download_report",
    ),
    path("reports/<int:year>/sent/", report_views.report_sent, name="report_sent"),
]
