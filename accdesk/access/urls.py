from django.urls import path

from accdesk.access import views

app_name = "access"

urlpatterns = [
    path("signin/", views.signin, name="signin"),
    path("signin/code/", views.verify, name="verify"),
    path("signin/enrol/", views.enrol, name="enrol"),
    path("signin/locked/", views.locked, name="locked"),
    path("signout/", views.signout, name="signout"),
    path("account/", views.account, name="account"),
    path("account/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
