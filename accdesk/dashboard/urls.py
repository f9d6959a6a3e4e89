from django.urls import path

from accdesk.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("a/<ori:ori>/", views.agency, name="agency"),
    path("help/", views.help_index, name="help"),
    path("help/<slug:page>/", views.help_page, name="help_page"),
]
