from django.urls import path

from accdesk.evidence import views

app_name = "evidence"

# Mounted under /a/<ori>/evidence/ (see accdesk/urls.py).
urlpatterns = [
    path("", views.evidence_list, name="list"),
    path("add/<slug:app_label>/<slug:model_name>/<int:pk>/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/file/", views.download_file, name="file"),
    path("<int:pk>/new-version/", views.new_version, name="new_version"),
    path("<int:pk>/supersede/", views.supersede, name="supersede"),
]
