from django.urls import path

from accdesk.releaselogs import views

app_name = "releaselogs"

# Mounted under /a/<ori>/releases/ (see accdesk/urls.py). Entries are addressed by
# their sequence number in the agency's log. No edit or delete URLs, on purpose.
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.add_entry, name="add"),
    path("<int:sequence>/", views.entry_detail, name="detail"),
    path("<int:sequence>/correct/", views.correct_entry, name="correct"),
    path("verify/", views.verify_chain, name="verify"),
    path("import/", views.upload_entries, name="import"),
    path("inspection/", views.inspection_page, name="inspection"),
    path("inspection/csv/", views.inspection_csv, name="inspection_csv"),
    path("inspection/pdf/", views.inspection_pdf, name="inspection_pdf"),
]
