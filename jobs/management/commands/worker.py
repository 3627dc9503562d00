"""`manage.py worker` (`make worker`): run queued background jobs, and sweep for lost and due ones."""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jobs.sweep import start_sweeper, sweep_once

#: The queues, in lanes that run side by side, a process each: deliveries to a slow receiver never
#: keep an import waiting, nor an import's hours the deliveries. The first lane sweeps.
LANES = [["imports", "default"], ["webhooks"]]
QUEUES = [queue for lane in LANES for queue in lane]


class Command(BaseCommand):
    help = (
        "Run background jobs (imports, webhook deliveries) from the Redis queue at REDIS_URL, with the "
        "web server's environment: imports in this process, deliveries in a child process of its own. "
        "Run one or more per machine; each also re-queues work a dead worker left and webhook retries "
        "that are due. Stop it with SIGTERM: it finishes its jobs first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="stop when the queues are empty")
        parser.add_argument("--name", help="the worker's name in Redis (default: host and process id)")
        parser.add_argument(
            "--queue", action="append", choices=QUEUES, help="run only this queue (repeatable), in this process alone"
        )

    def handle(self, *args, burst, name, queue, **options):
        if not settings.REDIS_URL:
            raise CommandError(
                "REDIS_URL is not set: without a queue, jobs run in the web process itself and no worker is needed."
            )
        if queue:
            self.work(queue, burst=burst, name=name, verbosity=options["verbosity"])
            return
        children = [self.lane(queues, burst=burst, name=name, verbosity=options["verbosity"]) for queues in LANES[1:]]
        try:
            sweep_once()  # what a worker that died left behind, before taking new work
            start_sweeper()
            self.work(LANES[0], burst=burst, name=name, verbosity=options["verbosity"])
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()  # SIGTERM: it finishes its job first
            for child in children:
                child.wait()

    @staticmethod
    def lane(queues: list[str], *, burst: bool, name: str | None, verbosity: int) -> subprocess.Popen:
        """`manage.py worker --queue …` for another lane, in a child process (in this one's process group)."""
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "worker", "--verbosity", str(verbosity)]
        command += [argument for queue in queues for argument in ("--queue", queue)]
        command += (["--burst"] if burst else []) + (["--name", f"{name}-{queues[0]}"] if name else [])
        return subprocess.Popen(command)

    @staticmethod
    def work(queues: list[str], *, burst: bool, name: str | None, verbosity: int) -> None:
        # RQ's SimpleWorker runs each job in this process: no fork per job (a delivery takes
        # milliseconds), and the sweeper thread is never copied into a forked child.
        call_command(
            "rqworker",
            *queues,
            worker_class="rq.worker.SimpleWorker",
            job_class="django_tasks_rq.Job",  # runs django-tasks tasks
            burst=burst,
            name=name,
            verbosity=verbosity,
        )
