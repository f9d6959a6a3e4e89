from django.urls import path

from accdesk.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("a/<ori:ori>/", views.agency, name="agency"),
]
