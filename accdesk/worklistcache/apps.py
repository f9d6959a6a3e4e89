from django.apps import AppConfig


class WorklistCacheConfig(AppConfig):
    name = "accdesk.worklistcache"
    label = "worklistcache"
    verbose_name = "Stored worklist"

    def ready(self) -> None:
        from accdesk.worklistcache import signals

        signals.connect()
