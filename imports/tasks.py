"""
Import jobs: taken by one runner, run to their end, and swept.

A runner takes a job by its lease (`recruitos.leases`): a heartbeat keeps it while the job runs,
however slow a batch, and each batch's transaction writes the job's progress only while the runner
still holds it, so a runner that stalled past its lease writes nothing more once another took the
job over (which resumes after the last written batch). A job's start (its first taking) and its
end are stated as changes (`recruitos.changes`) in the same transaction as the job's own row.
"""

import logging
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from imports.importer import CandidateImporter, ImportFileError, ImportResult, read_rows
from imports.models import KEPT_ERRORS, ImportJob, ImportStatus
from recruitos import changes
from recruitos.leases import Lease, LeaseLost, free
from recruitos.tasks import fresh_connections
from recruitos.text import escaped

logger = logging.getLogger(__name__)
INTERNAL_ERROR = "The import stopped on an internal error; the rows before it are written."
STOPPED = "The command running this import stopped before it ended; the rows before that are written."
UNFINISHED = (ImportStatus.QUEUED, ImportStatus.RUNNING)


@task(queue_name="imports")
def run_import(job_id: int) -> None:
    """Run (or resume) import job `job_id` from its stored file, unless another runner holds it or it has ended."""
    fresh_connections()
    try:
        if taken := claim(job_id):
            job, lease = taken
            with default_storage.open(job.stored_file, "rb") as file:
                execute(job, lease, file)
    finally:
        fresh_connections()


@transaction.atomic
def claim(job_id: int) -> tuple[ImportJob, Lease] | None:
    """Job `job_id` and its lease, taken for this runner if it has not ended and nobody holds it; else None."""
    now = timezone.now()
    lease = Lease.take(
        ImportJob.objects.filter(pk=job_id, status__in=UNFINISHED),
        status=ImportStatus.RUNNING,
        started_at=Coalesce("started_at", now),
        attempts=F("attempts") + 1,
    )
    if not lease:
        return None
    job = ImportJob.objects.get(pk=job_id)
    if job.attempts == 1:  # its first run: the import has started
        changes.record([changes.updated(job, {"status": ImportStatus.QUEUED}, actor=job.actor, via=job.via, at=now)])
    return job, lease


def execute(job: ImportJob, lease: Lease, file, *, batch_size: int = 1000, on_error=None, progress=iter) -> ImportJob:
    """
    Import `file` for the `job` this runner holds by `lease`, going on after its last written batch,
    to its end: succeeded, or failed with the reason (`job.error`). `on_error(RowError)` hears of
    each bad row besides the job; `progress` wraps the rows (a progress bar). Once another runner
    has taken the job (this one stalled past its lease), it stops, writing nothing more.
    """
    try:
        with lease.kept():
            try:
                _run(job, lease, file, batch_size, on_error, progress)
            except ImportFileError as exc:
                return finish(job, lease, ImportStatus.FAILED, error=str(exc))
            except LeaseLost:
                raise
            except Exception:
                logger.exception("import job %s failed", job.pk)
                return finish(job, lease, ImportStatus.FAILED, error=INTERNAL_ERROR)
            return finish(job, lease, ImportStatus.SUCCEEDED)
    except LeaseLost:
        logger.warning("import job %s was taken over by another runner; this one stops", job.pk)
        job.refresh_from_db()
        return job


def _run(job: ImportJob, lease: Lease, file, batch_size: int, on_error, progress) -> None:
    errors = list(job.errors)
    result = ImportResult(
        rows=job.processed,
        created=job.created_count,
        updated=job.updated_count,
        unchanged=job.unchanged_count,
        failed=job.failed_count,
    )

    def keep(error) -> None:
        if on_error is not None:
            on_error(error)
        if len(errors) < KEPT_ERRORS:
            field, message = stored_text(error.field), stored_text(error.message)
            errors.append({"line": error.line, "field": field, "message": message})

    def written(counts: ImportResult) -> None:
        # In the batch's own transaction: the job says exactly what is written, if this runner still holds it.
        lease.write(
            processed=counts.rows,
            created_count=counts.created,
            updated_count=counts.updated,
            unchanged_count=counts.unchanged,
            failed_count=counts.failed,
            errors=errors,
            bytes_read=importer.read_to,  # where the batch just written ends (the reader may be further on)
        )

    importer = CandidateImporter(
        dry_run=job.dry_run,
        batch_size=batch_size,
        on_error=keep,
        actor=job.actor,
        result=result,
        after_batch=written,
        position=lambda: _position(file, job.file_size),
    )
    rows = islice(read_rows(file, job.file_name), job.processed, None)  # a resumed job goes on after its last batch
    importer.run(progress(rows))


def _position(file, size: int) -> int:
    """How far the import has read the file; at its end, the reader has closed it."""
    try:
        return file.tell()
    except ValueError:
        return size


@transaction.atomic
def finish(job: ImportJob, lease: Lease, status: ImportStatus, *, error: str = "") -> ImportJob:
    """
    End the job this runner holds with what it means (its sync run, the feed's entry,
    `import.finished`); the file goes. LeaseLost (nothing written) if another runner holds it now.
    """
    started = ImportJob.objects.values_list("status", flat=True).get(pk=job.pk)
    now = timezone.now()
    lease.write(status=status, error=stored_text(error), finished_at=now, stored_file="", end=True)
    stored = job.stored_file
    job.refresh_from_db()
    changes.record([changes.updated(job, {"status": started}, actor=job.actor, via=job.via, at=now)])
    transaction.on_commit(lambda: stored and default_storage.delete(stored))
    return job


def stored_text(text: str) -> str:
    """
    A message as the job keeps it: the control and bidirectional characters a file's key or value
    may hold (which a message quotes) written as `\\uXXXX` (`recruitos.text.escaped`): NUL, which
    the database cannot keep, and the rest, which the single-line rule keeps out of every table.
    """
    return escaped(text)


def sweep() -> None:
    """
    Queue again the jobs nobody runs: queued ones the queue lost, running ones whose runner died
    (its lease ended). A job `import_candidates` ran has no stored file to resume from (its
    command was its runner): once its lease has ended, it has failed.
    """
    now = timezone.now()
    unheld = ImportJob.objects.filter(free(), status=ImportStatus.RUNNING)
    for job_id in list(unheld.filter(stored_file="").values_list("pk", flat=True)[:100]):
        with transaction.atomic():
            if lease := Lease.take(ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING, stored_file="")):
                finish(ImportJob.objects.get(pk=job_id), lease, ImportStatus.FAILED, error=STOPPED)
    stale = now - timedelta(seconds=settings.JOB_LEASE_SECONDS)
    lost = ImportJob.objects.filter(
        Q(status=ImportStatus.QUEUED, created_at__lt=stale) | Q(free(), status=ImportStatus.RUNNING),
        Q(requeued_at__isnull=True) | Q(requeued_at__lt=stale),
    ).exclude(stored_file="")
    for job_id in list(lost.values_list("pk", flat=True)[:100]):
        if ImportJob.objects.filter(pk=job_id).update(requeued_at=now):
            run_import.enqueue(job_id)
