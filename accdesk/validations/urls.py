from django.urls import path

from accdesk.agency.uploads import upload_view
from accdesk.validations import views
from accdesk.validations.imports import VALIDATIONS

app_name = "validations"

# Mounted under /a/<ori>/validations/ (see accdesk/urls.py).
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("records/<int:pk>/", views.record, name="record"),
    path("completed/", views.completed, name="completed"),
    path("quality/", views.quality, name="quality"),
    path("quality/checks/new/", views.add_check, name="add_check"),
    path("quality/hits/new/", views.add_hit, name="add_hit"),
    path("ori/", views.ori, name="ori"),
    path(
        "import/",
        upload_view(
            VALIDATIONS,
            action="validations.import",
            done="validations:worklist",
            help_template="validations/_import_help.html",
        ),
        name="import",
    ),
]
