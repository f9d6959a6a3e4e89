from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "accdesk.dashboard"
    label = "dashboard"
