from django.urls import path

from accdesk.incidents import plan_views, views

app_name = "incidents"

# Mounted under /a/<ori>/incidents/ (see accdesk/urls.py).
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.report_incident, name="add"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_incident, name="edit"),
    path("<int:pk>/actions/", views.add_action, name="add_action"),
    path("<int:pk>/doj/", views.notify_doj, name="notify_doj"),
    path("<int:pk>/breach/", views.breach_decision, name="breach"),
    path("<int:pk>/close/", views.close_incident, name="close"),
    path("<int:pk>/open-case/", views.open_case, name="open_case"),
    path("<int:pk>/link-case/", views.link_case, name="link_case"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/report-email/", views.report_email, name="report_email"),
    path("plan/", plan_views.plan, name="plan"),
    path("plan/new/", plan_views.new_version, name="new_version"),
    path("plan/<int:pk>/approve/", plan_views.approve, name="approve"),
    path("plan/<int:pk>/notify/", plan_views.notify, name="notify"),
    path("plan/<int:pk>/acknowledge/", plan_views.acknowledge, name="acknowledge"),
    path(
        "plan/<int:pk>/acknowledge/<int:person>/",
        plan_views.record_acknowledgement,
        name="record_acknowledgement",
    ),
    path("plan/tests/", plan_views.add_test, name="add_test"),
    path("team/", plan_views.team, name="team"),
]
