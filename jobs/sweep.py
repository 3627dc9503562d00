"""
The sweeper: what puts lost or due work back on the queue.

A job's state lives in the database (an import's progress, a webhook delivery's next attempt),
not only in the queue, so nothing is lost when a worker dies mid-job or the queue forgets a job:
every JOB_SWEEP_SECONDS each worker (and, without a queue, each web process) runs the sweeps of
JOB_SWEEPS, which queue again the work that is due and that nobody holds. A job claims its work
in the database first, so work queued twice is done once.
"""

import logging
import threading

from django.conf import settings
from django.utils.module_loading import import_string

from recruitos.tasks import fresh_connections

logger = logging.getLogger(__name__)
_started = threading.Lock()
_thread: threading.Thread | None = None


def sweep_once() -> None:
    """Run every sweep once; one that fails is logged and the others still run."""
    for path in settings.JOB_SWEEPS:
        fresh_connections()
        try:
            import_string(path)()
        except Exception:
            logger.exception("sweep %s failed", path)


def start_sweeper_without_queue() -> threading.Thread | None:
    """In a web process with no queue (no REDIS_URL), jobs run on its threads: it sweeps too."""
    return None if settings.REDIS_URL else start_sweeper()


def start_sweeper() -> threading.Thread | None:
    """Start sweeping in a daemon thread of this process (once; none when JOB_SWEEP_SECONDS is 0)."""
    global _thread
    interval = settings.JOB_SWEEP_SECONDS
    with _started:
        if interval <= 0 or _thread is not None:
            return _thread
        stop = threading.Event()

        def loop():
            while not stop.wait(interval):
                sweep_once()  # keeps its connection between rounds, as a request does (CONN_MAX_AGE)

        _thread = threading.Thread(target=loop, name="job-sweeper", daemon=True)
        _thread.start()
        return _thread
