from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "accdesk.demo"
    label = "demo"
    verbose_name = "Demo data"
