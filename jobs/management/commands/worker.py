"""`manage.py worker` (`make worker`): run queued background jobs, and sweep for lost and due ones."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jobs.sweep import start_sweeper, sweep_once

#: Every queue the project's tasks use, most urgent first.
QUEUES = ["webhooks", "imports", "default"]


class Command(BaseCommand):
    help = (
        "Run background jobs (imports, webhook deliveries) from the Redis queue at REDIS_URL, with the "
        "web server's environment. Run one or more per machine; each also re-queues work a dead worker left "
        "and webhook retries that are due. Stop it with SIGTERM: it finishes its job first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="stop when the queues are empty")
        parser.add_argument("--name", help="the worker's name in Redis (default: host and process id)")

    def handle(self, *args, burst, name, **options):
        if not settings.REDIS_URL:
            raise CommandError(
                "REDIS_URL is not set: without a queue, jobs run in the web process itself and no worker is needed."
            )
        sweep_once()  # what a worker that died left behind, before taking new work
        start_sweeper()
        # RQ's SimpleWorker runs each job in this process: no fork per job (a delivery takes
        # milliseconds), and the sweeper thread is never copied into a forked child.
        call_command(
            "rqworker",
            *QUEUES,
            worker_class="rq.worker.SimpleWorker",
            job_class="django_tasks_rq.Job",  # runs django-tasks tasks
            burst=burst,
            name=name,
            verbosity=options["verbosity"],
        )
