from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AgreementsConfig(AppConfig):
    name = "accdesk.agreements"
    label = "agreements"
    verbose_name = "Agreements and forms"

    def ready(self) -> None:
        from accdesk.agreements.kinds import install_standard_kinds

        post_migrate.connect(install_standard_kinds, sender=self)
