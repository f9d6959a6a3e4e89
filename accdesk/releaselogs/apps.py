from django.apps import AppConfig


class ReleaseLogsConfig(AppConfig):
    name = "accdesk.releaselogs"
    label = "releaselogs"
    verbose_name = "Third-party release log"
