from django.urls import path

from accdesk.changes import views

app_name = "changes"

urlpatterns = [
    path("", views.change_list, name="list"),
    path("<int:pk>/", views.change_detail, name="detail"),
    path("reviews/", views.reviews, name="reviews"),
]
