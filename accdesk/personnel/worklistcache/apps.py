from django.apps import AppConfig


class WorklistCacheConfig(AppConfig):
    name = "accdesk.personnel.worklistcache"
    label = "worklistcache"
    verbose_name = "Stored worklist"

    def ready(self) -> None:
        from accdesk.personnel.worklistcache import signals

        signals.connect()
