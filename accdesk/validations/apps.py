from django.apps import AppConfig


class ValidationsConfig(AppConfig):
    name = "accdesk.validations"
    label = "validations"
    verbose_name = "Record validations and entry quality"
