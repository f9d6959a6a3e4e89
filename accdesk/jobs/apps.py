from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "accdesk.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
