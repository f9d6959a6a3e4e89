from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "accdesk.agency"
    label = "agency"
    verbose_name = "Agencies"
