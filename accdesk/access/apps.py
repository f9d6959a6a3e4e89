from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "accdesk.access"
    label = "access"
    verbose_name = "Sign-in and users"
