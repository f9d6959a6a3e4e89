from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TerminalsConfig(AppConfig):
    # ``terminals``, never ``sites``: that label is django.contrib.sites'.
    name = "accdesk.terminals"
    label = "terminals"
    verbose_name = "Terminals, sites and system documentation"

    def ready(self) -> None:
        from accdesk.terminals.questions import install_standard_questions

        post_migrate.connect(install_standard_questions, sender=self)
