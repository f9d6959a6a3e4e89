from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditsConfig(AppConfig):
    name = "accdesk.audits"
    label = "audits"
    verbose_name = "DOJ audits"

    def ready(self) -> None:
        from accdesk.audits import signals
        from accdesk.audits.questionnaires import install_standard_questionnaire

        post_migrate.connect(install_standard_questionnaire, sender=self)
        signals.connect()
