"""`manage.py worker` (`make worker`): run queued background jobs, and sweep for lost and due ones."""

import argparse
import logging
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jobs.sweep import start_sweeper, sweep_once
from recruitos.tasks import work_ended

logger = logging.getLogger(__name__)

#: The queues, in lanes that run side by side, a process each: deliveries to a slow receiver never
#: keep an import waiting, nor an import's hours the deliveries.
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
        parser.add_argument("--parent", type=int, help=argparse.SUPPRESS)  # a lane's worker, watched

    def handle(self, *args, burst, name, queue, parent, **options):
        if not settings.REDIS_URL:
            raise CommandError(
                "REDIS_URL is not set: without a queue, jobs run in the web process itself and no worker is needed."
            )
        verbosity = options["verbosity"]
        if parent:
            _stop_when_orphaned(parent)
        stopping = threading.Event()
        children: list[subprocess.Popen] = []
        for queues in [] if queue else LANES[1:]:
            _keep_lane(queues, children, stopping, burst=burst, name=name, verbosity=verbosity)
        try:
            sweep_once()  # what a worker that died left behind, before taking new work (every lane sweeps)
            start_sweeper()
            _work(queue or LANES[0], burst=burst, name=name, verbosity=verbosity)
            work_ended.send(sender=self.__class__, burst=burst)
        finally:
            stopping.set()
            for child in list(children):
                if not burst and child.poll() is None:
                    child.terminate()  # SIGTERM: it finishes its job first
            for child in children:
                try:
                    child.wait(timeout=None if burst else 60)
                except subprocess.TimeoutExpired:
                    child.kill()


def _lane(queues: list[str], *, burst: bool, name: str | None, verbosity: int) -> subprocess.Popen:
    """`manage.py worker --queue …` for another lane, in a child process (in this one's process group)."""
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "worker", "--verbosity", str(verbosity)]
    command += [argument for queue in queues for argument in ("--queue", queue)] + ["--parent", str(os.getpid())]
    command += (["--burst"] if burst else []) + (["--name", f"{name}-{queues[0]}"] if name else [])
    return subprocess.Popen(command)


def _keep_lane(queues: list[str], children: list, stopping: threading.Event, **options) -> None:
    """Run a lane in a child process, and start it again (after a pause) whenever it dies."""
    started = threading.Event()

    def keep():
        pause = 1.0
        while not stopping.is_set():
            child = _lane(queues, **options)
            children.append(child)
            started.set()
            code = child.wait()
            children.remove(child)
            if stopping.is_set() or code == 0:  # told to stop (SIGTERM to the process group), or its burst ended
                return
            logger.error("the worker's %s lane ended (exit code %s); it starts again in %g s", queues[0], code, pause)
            time.sleep(pause)
            pause = min(pause * 2, 60)

    threading.Thread(target=keep, name=f"worker-lane-{queues[0]}", daemon=True).start()
    started.wait()


def _stop_when_orphaned(parent: int) -> None:
    """A lane whose worker died (even by SIGKILL) stops too, rather than run on unseen."""

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="worker-parent-watch", daemon=True).start()


def _work(queues: list[str], *, burst: bool, name: str | None, verbosity: int) -> None:
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
