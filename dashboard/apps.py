from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """Pipeline statistics, the activity feed and data sync runs."""

    name = "dashboard"
