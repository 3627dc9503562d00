from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    """Interviews scheduled with candidates."""

    name = "interviews"
