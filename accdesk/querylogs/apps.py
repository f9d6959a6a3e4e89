from django.apps import AppConfig


class QuerylogsConfig(AppConfig):
    name = "accdesk.querylogs"
    label = "querylogs"
    verbose_name = "CORI/III query-log audit"
