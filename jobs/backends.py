"""
Where background jobs run when no queue is configured: on threads of the process that queued
them (`make run` on SQLite, no Redis), so the two-command start needs no worker process.

django-tasks ships a backend that runs a job at once, in the caller (`ImmediateBackend`), and
backends for real queues (RQ: `django_tasks_rq`); none that runs it beside the caller. This
hands `ImmediateBackend.enqueue` (its public entry) to a small thread pool: the request that
queued a job answers at once and the job's progress can be watched. Jobs keep their state in
the database, so one lost with its process is picked up again by the sweeper (`jobs.sweep`)
when the app next runs.
"""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from django.db import connections
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus

from recruitos.tasks import fresh_connections


class ThreadBackend(ImmediateBackend):
    """
    `ImmediateBackend`, run on THREADS threads per queue (OPTIONS: {"THREADS": n}, default 2): each
    queue has threads of its own, so slow deliveries never keep an import waiting, nor the reverse.
    """

    def __init__(self, alias: str, params: dict):
        super().__init__(alias, params)
        self.pools: dict[str, ThreadPoolExecutor] = {}
        self.pools_made = threading.Lock()

    def pool(self, queue: str) -> ThreadPoolExecutor:
        with self.pools_made:
            if queue not in self.pools:
                self.pools[queue] = ThreadPoolExecutor(
                    max_workers=self.options.get("THREADS", 2), thread_name_prefix=f"tasks-{self.alias}-{queue}"
                )
            return self.pools[queue]

    def enqueue(self, task, args, kwargs) -> TaskResult:
        """Run the task on a thread; the result says it is waiting (its outcome is in the database the job writes)."""
        self.validate_task(task)
        self.pool(task.queue_name).submit(self.run, task, args, kwargs)
        return TaskResult(
            task=task, id=uuid.uuid4().hex, status=TaskResultStatus.READY, enqueued_at=None, started_at=None,
            last_attempted_at=None, finished_at=None, args=args, kwargs=kwargs, backend=self.alias, errors=[],
            worker_ids=[],
        )  # fmt: skip

    def run(self, task, args, kwargs) -> None:
        fresh_connections()
        try:
            super().enqueue(task, args, kwargs)
        finally:
            connections.close_all()  # this thread's own connections
