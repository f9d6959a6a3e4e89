from django.apps import AppConfig
from django.urls import register_converter


class OriConverter:
    """``<ori:ori>`` in URL patterns: 9 letters or digits, upper-cased."""

    regex = "[A-Za-z0-9]{9}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


class AgencyConfig(AppConfig):
    name = "accdesk.agency"
    label = "agency"
    verbose_name = "Agencies"

    def ready(self) -> None:
        register_converter(OriConverter, "ori")
