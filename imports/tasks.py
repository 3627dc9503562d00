"""
Import jobs: claimed, run to their end, and swept.

A runner claims a job in the database before running it, so a job queued twice runs once; it
writes its progress with each batch, and a job whose runner stopped reporting for
JOB_STALE_SECONDS is claimed again and resumed after its last written batch. A job's start (its
first claim) and its end are stated as changes (`recruitos.changes`) in the same transaction as
the job's own row.
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

from imports.importer import CandidateImporter, ImportFileError, ImportResult, ignored_fields, read_rows
from imports.models import KEPT_ERRORS, ImportJob, ImportStatus
from recruitos import changes
from recruitos.tasks import fresh_connections

logger = logging.getLogger(__name__)
INTERNAL_ERROR = "The import stopped on an internal error; the rows before it are written."
STOPPED = "The command running this import stopped before it ended; the rows before that are written."


@task(queue_name="imports")
def run_import(job_id: int) -> None:
    """Run (or resume) import job `job_id` from its stored file, unless another runner holds it or it has ended."""
    fresh_connections()
    try:
        if (job := claim(job_id)) is not None:
            with default_storage.open(job.stored_file, "rb") as file:
                execute(job, file)
    finally:
        fresh_connections()


@transaction.atomic
def claim(job_id: int) -> ImportJob | None:
    """Job `job_id`, taken for this runner if it is queued or its runner stopped reporting; else None."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    claimable = Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.RUNNING, heartbeat_at__lt=stale)
    taken = ImportJob.objects.filter(claimable, pk=job_id).update(
        status=ImportStatus.RUNNING,
        heartbeat_at=now,
        started_at=Coalesce("started_at", now),
        attempts=F("attempts") + 1,
    )
    if not taken:
        return None
    job = ImportJob.objects.get(pk=job_id)
    if job.attempts == 1:  # its first run: the import has started
        changes.record([changes.updated(job, {"status": ImportStatus.QUEUED}, actor=job.actor, via=job.via, at=now)])
    return job


def execute(job: ImportJob, file, *, batch_size: int = 1000, on_error=None, progress=iter) -> ImportJob:
    """
    Import `file` for the claimed `job`, going on after its last written batch, to its end:
    succeeded, or failed with the reason (`job.error`). `on_error(RowError)` hears of each bad
    row besides the job; `progress` wraps the rows (a progress bar).
    """
    try:
        _run(job, file, batch_size, on_error, progress)
    except ImportFileError as exc:
        return finish(job, ImportStatus.FAILED, error=str(exc))
    except Exception:
        logger.exception("import job %s failed", job.pk)
        return finish(job, ImportStatus.FAILED, error=INTERNAL_ERROR)
    return finish(job, ImportStatus.SUCCEEDED)


def _run(job: ImportJob, file, batch_size: int, on_error, progress) -> None:
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
        # In the batch's own transaction: the job says exactly what is written.
        ImportJob.objects.filter(pk=job.pk).update(
            processed=counts.rows,
            created_count=counts.created,
            updated_count=counts.updated,
            unchanged_count=counts.unchanged,
            failed_count=counts.failed,
            errors=errors,
            bytes_read=_position(file, job.file_size),
            heartbeat_at=timezone.now(),
        )

    importer = CandidateImporter(
        dry_run=job.dry_run, batch_size=batch_size, on_error=keep, actor=job.actor, result=result, after_batch=written
    )
    rows = islice(read_rows(file, job.file_name), job.processed, None)  # a resumed job goes on after its last batch
    importer.run(progress(ignored_fields(rows, keep)))


def _position(file, size: int) -> int:
    """How far the import has read the file; at its end, the reader has closed it."""
    try:
        return file.tell()
    except ValueError:
        return size


@transaction.atomic
def finish(job: ImportJob, status: ImportStatus, *, error: str = "") -> ImportJob:
    """Finish the job with what it means (its sync run, the feed's entry, `import.finished`); the file goes."""
    job.refresh_from_db()
    started = job.status
    stored, job.stored_file = job.stored_file, ""
    job.status, job.error, job.finished_at = status, stored_text(error), timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "stored_file"])
    changes.record([changes.updated(job, {"status": started}, actor=job.actor, via=job.via, at=job.finished_at)])
    transaction.on_commit(lambda: stored and default_storage.delete(stored))
    return job


def stored_text(text: str) -> str:
    """A message as the database can keep it: a NUL (which a file's key or value may hold) written as \\u0000."""
    return text.replace("\x00", "\\u0000")


def sweep() -> None:
    """
    Queue again the jobs nobody runs: queued ones the queue lost, running ones whose runner died.
    A job `import_candidates` ran has no stored file to resume from (its command was its runner):
    once silent as long, it has failed.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    for job in ImportJob.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=stale, stored_file="")[:100]:
        finish(job, ImportStatus.FAILED, error=STOPPED)
    lost = ImportJob.objects.filter(
        Q(status=ImportStatus.QUEUED, created_at__lt=stale) | Q(status=ImportStatus.RUNNING, heartbeat_at__lt=stale),
        Q(requeued_at__isnull=True) | Q(requeued_at__lt=stale),
    ).exclude(stored_file="")
    for job_id in list(lost.values_list("pk", flat=True)[:100]):
        if ImportJob.objects.filter(pk=job_id).update(requeued_at=now):
            run_import.enqueue(job_id)
