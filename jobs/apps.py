from django.apps import AppConfig
from django.core.signals import request_started

from jobs.sweep import start_sweeper_without_queue


class JobsConfig(AppConfig):
    """Where background jobs run: RQ workers (`manage.py worker`), or without a queue this process's threads."""

    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        # A web process with no queue runs jobs on its threads, and sweeps from its first request on.
        request_started.connect(_first_request, dispatch_uid=FIRST_REQUEST)


FIRST_REQUEST = "jobs.sweep.first_request"


def _first_request(**kwargs) -> None:
    request_started.disconnect(dispatch_uid=FIRST_REQUEST)
    start_sweeper_without_queue()
