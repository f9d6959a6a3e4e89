from django.urls import path

from accdesk.audits import views

app_name = "audits"

# Mounted under /a/<ori>/audits/ (see accdesk/urls.py).
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("new/", views.add_audit, name="add"),
    path("mock/", views.mock_audit, name="mock"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit_audit, name="edit"),
    path("<int:pk>/close/", views.close_audit, name="close"),
    path("<int:pk>/binder/", views.download_binder, name="binder"),
    path("<int:pk>/questions/<int:question>/", views.answer, name="answer"),
    path("<int:pk>/samples/new/", views.draw_sample, name="draw_sample"),
    path("<int:pk>/findings/new/", views.add_finding, name="add_finding"),
    path("samples/<int:pk>/", views.sample, name="sample"),
    path("findings/<int:pk>/", views.finding, name="finding"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/import/", views.import_questionnaire, name="import"),
    path("questionnaires/<int:pk>/", views.questionnaire, name="questionnaire"),
]
