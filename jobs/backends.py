"""
Where background jobs run when no queue is configured: on threads of the process that queued
them (`make run` on SQLite, no Redis), so the two-command start needs no worker process.

django-tasks ships a backend that runs a job at once, in the caller (`ImmediateBackend`), and
backends for real queues (RQ: `django_tasks_rq`); none that runs it beside the caller. This
is the immediate backend handed to a small thread pool: the request that queued a job answers
at once and the job's progress can be watched. Jobs keep their state in the database, so one
lost with its process is picked up again by the sweeper (`jobs.sweep`) when the app next runs.
"""

from concurrent.futures import ThreadPoolExecutor

from django.db import connections
from django_tasks.backends.immediate import ImmediateBackend


class ThreadBackend(ImmediateBackend):
    """`ImmediateBackend`, run on one of THREADS threads (OPTIONS: {"THREADS": n}, default 2)."""

    def __init__(self, alias: str, params: dict):
        super().__init__(alias, params)
        self._pool = ThreadPoolExecutor(max_workers=self.options.get("THREADS", 2), thread_name_prefix=f"tasks-{alias}")

    def _execute_task(self, task_result) -> None:
        self._pool.submit(self._run, task_result)

    def _run(self, task_result) -> None:
        fresh_connections()
        try:
            super()._execute_task(task_result)
        finally:
            connections.close_all()  # this thread's own connections


def fresh_connections() -> None:
    """
    Before and after a job, as Django does around a request: drop database connections that are
    broken or past CONN_MAX_AGE. Not inside a transaction (a job run at once, inside its caller's).
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
