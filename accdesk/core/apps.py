from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "accdesk.core"
    label = "core"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from accdesk.core import signals  # noqa: F401  (connects the receivers)
