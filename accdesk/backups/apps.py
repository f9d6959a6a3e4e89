from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "accdesk.backups"
    label = "backups"
    verbose_name = "Backup and restore"
