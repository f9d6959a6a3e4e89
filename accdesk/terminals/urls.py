from django.urls import path

from accdesk.agency.uploads import upload_view
from accdesk.terminals import views
from accdesk.terminals.imports import TERMINALS

app_name = "terminals"

# Mounted under /a/<ori>/sites/ (see accdesk/urls.py).
urlpatterns = [
    path("", views.sites, name="sites"),
    path("new/", views.add_site, name="add_site"),
    path("<int:pk>/", views.site, name="site"),
    path("<int:pk>/edit/", views.edit_site, name="edit_site"),
    path("<int:pk>/inspect/", views.new_inspection, name="new_inspection"),
    path("<int:pk>/reviews/new/", views.add_review, name="add_review"),
    path("<int:pk>/keys/new/", views.add_key, name="add_key"),
    path("terminals/", views.terminals, name="terminals"),
    path("terminals/new/", views.add_terminal, name="add_terminal"),
    path("terminals/<int:pk>/", views.edit_terminal, name="edit_terminal"),
    path("terminals/review/", views.review_inventory, name="review_inventory"),
    path(
        "terminals/import/",
        upload_view(
            TERMINALS,
            action="sites.import",
            done="terminals:terminals",
            help_template="terminals/_import_help.html",
        ),
        name="import",
    ),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("inspections/<int:pk>/edit/", views.edit_inspection, name="edit_inspection"),
    path("inspections/<int:pk>.pdf", views.inspection_pdf, name="inspection_pdf"),
    path("inspections/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("actions/<int:pk>/", views.edit_action, name="edit_action"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/edit/", views.edit_review, name="edit_review"),
    path("keys/<int:pk>/", views.edit_key, name="edit_key"),
    path("documents/", views.documents, name="documents"),
    path("documents/new/", views.add_document, name="add_document"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/edit/", views.edit_document, name="edit_document"),
    path("questions/", views.questions, name="questions"),
    path("questions/new/", views.add_question, name="add_question"),
    path("questions/<int:pk>/edit/", views.edit_question, name="edit_question"),
]
