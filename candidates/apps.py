from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    """People in the hiring pipeline."""

    name = "candidates"
