from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "accdesk.evidence"
    label = "evidence"
    verbose_name = "Evidence files"
