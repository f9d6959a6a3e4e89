from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "accdesk.personnel"
    label = "personnel"
    verbose_name = "Roster"
