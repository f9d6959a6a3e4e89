from django.urls import path

from accdesk.deadlines import views

app_name = "calendar"

# Mounted at the root: a user's feed covers every agency they belong to.
urlpatterns = [
    path("account/calendar/", views.calendar_settings, name="settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
