"""
The import job and its sweep.

A worker claims a job in the database before running it, so a job queued twice runs once; it
writes its progress with each batch, and a job whose worker stopped reporting for
JOB_STALE_SECONDS is claimed again and resumed after its last written batch.
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

from candidates.imports import CandidateImporter, ImportFileError, ImportResult, ignored_fields, read_rows
from dashboard.services import sync_run_fail, sync_run_finish, sync_run_start
from imports.models import KEPT_ERRORS, ImportJob, ImportStatus
from jobs.backends import fresh_connections

logger = logging.getLogger(__name__)


@task(queue_name="imports")
def run_import(job_id: int) -> None:
    """Run (or resume) import job `job_id`, unless another worker holds it or it has ended."""
    fresh_connections()
    if not _claim(job_id):
        return
    job = ImportJob.objects.get(pk=job_id)
    try:
        _run(job)
    except ImportFileError as exc:
        _end(job, ImportStatus.FAILED, error=str(exc))
    except Exception:
        logger.exception("import job %s failed", job_id)
        _end(job, ImportStatus.FAILED, error="The import stopped on an internal error; the rows before it are written.")
    finally:
        fresh_connections()


def _claim(job_id: int) -> bool:
    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    claimable = Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.RUNNING, heartbeat_at__lt=stale)
    return (
        ImportJob.objects.filter(claimable, pk=job_id).update(
            status=ImportStatus.RUNNING,
            heartbeat_at=now,
            started_at=Coalesce("started_at", now),
            attempts=F("attempts") + 1,
        )
        == 1
    )


def _run(job: ImportJob) -> None:
    if not job.dry_run and job.sync_run_id is None:
        job.sync_run = sync_run_start(source=job.file_name)
        job.save(update_fields=["sync_run"])
    errors = list(job.errors)
    result = ImportResult(
        rows=job.processed,
        created=job.created_count,
        updated=job.updated_count,
        unchanged=job.unchanged_count,
        failed=job.failed_count,
    )

    def keep(error) -> None:
        if len(errors) < KEPT_ERRORS:
            errors.append({"line": error.line, "field": error.field, "message": error.message})

    def progress(counts: ImportResult) -> None:
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
        dry_run=job.dry_run, on_error=keep, actor=job.actor, result=result, after_batch=progress
    )
    with default_storage.open(job.stored_file, "rb") as file:
        rows = islice(read_rows(file, job.file_name), job.processed, None)  # a resumed job goes on after its last batch
        importer.run(ignored_fields(rows, keep))
    job.refresh_from_db()
    _end(job, ImportStatus.SUCCEEDED)


def _position(file, size: int) -> int:
    """How far the import has read the file; at its end, the reader has closed it."""
    try:
        return file.tell()
    except ValueError:
        return size


@transaction.atomic
def _end(job: ImportJob, status: ImportStatus, *, error: str = "") -> None:
    """Finish the job, its sync run and the feed's entry together; the file goes."""
    from webhooks.outbox import import_finished

    job.refresh_from_db()
    job.status, job.error, job.finished_at = status, error, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    if job.sync_run is not None:
        counts = {"created": job.created_count, "updated": job.updated_count, "failed": job.failed_count}
        if status == ImportStatus.SUCCEEDED:
            sync_run_finish(run=job.sync_run, **counts)
        else:
            sync_run_fail(run=job.sync_run, error=error, **counts)
    import_finished(job)
    stored, job.stored_file = job.stored_file, ""
    job.save(update_fields=["stored_file"])
    transaction.on_commit(lambda: stored and default_storage.delete(stored))


def sweep() -> None:
    """Queue again the jobs nobody runs: queued ones the queue lost, running ones whose worker died."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    lost = ImportJob.objects.filter(
        Q(status=ImportStatus.QUEUED, created_at__lt=stale) | Q(status=ImportStatus.RUNNING, heartbeat_at__lt=stale),
        Q(requeued_at__isnull=True) | Q(requeued_at__lt=stale),
    )
    for job_id in list(lost.values_list("pk", flat=True)[:100]):
        if ImportJob.objects.filter(pk=job_id).update(requeued_at=now):
            run_import.enqueue(job_id)
