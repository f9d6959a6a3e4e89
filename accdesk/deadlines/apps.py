from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "accdesk.deadlines"
    label = "deadlines"
    verbose_name = "What's due"
