from django.urls import path

from accdesk.agency.uploads import upload_view
from accdesk.agreements import views
from accdesk.agreements.imports import AGREEMENTS

app_name = "agreements"

# Mounted under /a/<ori>/agreements/ (see accdesk/urls.py).
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.add_agreement, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit_agreement, name="edit"),
    path("vendors/", views.vendors, name="vendors"),
    path("vendors/new/", views.add_vendor, name="add_vendor"),
    path("vendors/<int:pk>/", views.vendor, name="vendor"),
    path("vendors/<int:pk>/edit/", views.edit_vendor, name="edit_vendor"),
    path("kinds/", views.kinds, name="kinds"),
    path("kinds/new/", views.add_kind, name="add_kind"),
    path("kinds/<int:pk>/edit/", views.edit_kind, name="edit_kind"),
    path(
        "import/",
        upload_view(
            AGREEMENTS,
            action="agreements.import",
            done="agreements:register",
            help_template="agreements/_import_help.html",
        ),
        name="import",
    ),
]
