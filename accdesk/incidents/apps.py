from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "accdesk.incidents"
    label = "incidents"
    verbose_name = "Security incidents and the incident response plan"
