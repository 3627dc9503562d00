from django.apps import AppConfig
from django.core import checks


class InterviewsConfig(AppConfig):
    """Interviews scheduled with candidates."""

    name = "interviews"

    def ready(self):
        from interviews.availability import check_working_hours

        checks.register(check_working_hours)
