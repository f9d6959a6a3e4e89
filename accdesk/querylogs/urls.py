from django.urls import path

from accdesk.querylogs import views

app_name = "querylogs"

# Mounted under /a/<ori>/querylogs/ (see accdesk/urls.py).
urlpatterns = [
    path("", views.overview, name="overview"),
    path("upload/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("findings/", views.findings, name="findings"),
    path("rows/<str:month>/<slug:key>/", views.row, name="row"),
    path("audit-sets/", views.audit_sets, name="audit_sets"),
    path("audit-sets/new/", views.new_audit_set, name="new_audit_set"),
    path("audit-sets/<int:pk>/", views.audit_set, name="audit_set"),
    path(
        "audit-sets/<int:pk>/items/<int:item>/",
        views.disposition,
        name="disposition",
    ),
    path("leads/", views.leads, name="leads"),
    path("leads/<slug:key>/", views.lead, name="lead"),
    path("leads/<slug:key>/act/", views.act_on_lead, name="act_on_lead"),
    path("rules/", views.rules, name="rules"),
    path("rules/adopt/", views.adopt_rules, name="adopt_rules"),
]
