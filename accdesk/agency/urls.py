from django.urls import path

from accdesk.agency import views

app_name = "agency"

# Mounted under /a/<ori>/ (see accdesk/urls.py).
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.edit_profile, name="edit_profile"),
    path("profile/oris/", views.additional_oris, name="additional_oris"),
    path("profile/designate/", views.designate, name="add_contact"),
    path("profile/designate/<slug:kind>/", views.designate, name="designate"),
    path(
        "profile/contacts/<int:pk>/edit/",
        views.edit_designation,
        name="edit_designation",
    ),
    path(
        "profile/contacts/<int:pk>/end/", views.end_designation, name="end_designation"
    ),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/sent/", views.notice_sent, name="notice_sent"),
    path("members/", views.members, name="members"),
    path("members/new/", views.add_member, name="add_member"),
    path("members/<int:pk>/", views.edit_member, name="edit_member"),
    path("members/<int:pk>/account/", views.member_action, name="member_action"),
    path("members/<int:pk>/unlock/", views.unlock_member, name="unlock_member"),
    path("permissions/", views.permissions, name="permissions"),
]
