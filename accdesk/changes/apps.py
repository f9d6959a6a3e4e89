from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "accdesk.changes"
    label = "changes"
    verbose_name = "Change record pages"
