from django.apps import AppConfig


class InvestigationsConfig(AppConfig):
    name = "accdesk.investigations"
    label = "investigations"
    verbose_name = "Misuse investigations"
