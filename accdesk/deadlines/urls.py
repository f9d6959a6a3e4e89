from django.urls import path

from accdesk.deadlines import views

app_name = "deadlines"

# Mounted under /a/<ori>/due/ (see accdesk/urls.py).
urlpatterns = [
    path("", views.due, name="due"),
    path("reminders/", views.reminders, name="reminders"),
    path("reminders/defaults/", views.reminder_defaults, name="reminder_defaults"),
]
