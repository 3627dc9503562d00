"""
Starting an import: queued for a runner (the file stored where every worker can read it), or
run at once in this process (`manage.py import_candidates`). Either way it is an import job.
"""

import io
import uuid
from contextlib import suppress

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from imports.importer import ImportFileError, read_rows
from imports.models import ImportJob, ImportStatus
from imports.tasks import STOPPED, claim, execute, finish, run_import
from recruitos.changes import Via
from recruitos.leases import LeaseLost
from recruitos.text import escaped

#: How much of a file is read before it is queued, to refuse one that cannot be an import at once.
HEAD_BYTES = 65_536


def check_file(file, name: str) -> None:
    """ImportFileError when the file cannot be an import at all (its type, its header, its first row)."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    end = max(head.rfind(b"\n"), head.rfind(b"\r"))  # a line's end (a spreadsheet's may be \r alone)
    if len(head) == HEAD_BYTES and end >= 0:
        head = head[: end + 1]  # whole lines only: never half a character
    elif len(head) == HEAD_BYTES and name.lower().endswith(".csv"):  # never a header cut mid-name
        raise ImportFileError(
            f"the header line is longer than {HEAD_BYTES:,} bytes; an import file has at most "
            f"{settings.IMPORT_MAX_COLUMNS} columns (IMPORT_MAX_COLUMNS) of short names"
        )
    next(iter(read_rows(io.BytesIO(head), name)), None)


def import_queue(*, file, name: str, dry_run: bool = False, actor=None, via: Via = Via.API) -> ImportJob:
    """
    Store the file and queue its import; the job runs once the caller's transaction commits.
    ImportFileError (nothing stored) when the file cannot be read as an import.
    """
    check_file(file, name)
    suffix = name.rsplit(".", 1)[-1].lower()
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}.{suffix}", file)
    try:
        job = ImportJob.objects.create(
            file_name=escaped(name)[-255:],
            file_size=default_storage.size(stored),
            stored_file=stored,
            dry_run=dry_run,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            via=via,
        )
    except BaseException:
        default_storage.delete(stored)
        raise
    # robust: if the queue is down, the job waits in the database for the sweeper instead of failing the request
    transaction.on_commit(lambda: run_import.enqueue(job.pk), robust=True)
    return job


def import_here(
    file, name: str, *, dry_run: bool = False, batch_size: int = 1000, on_error=None, progress=iter
) -> ImportJob:
    """
    Import a local file in this process, as a job that ends before this returns (nothing stored:
    the file is read where it is, a pipe too: a CSV streams, unchecked beforehand and its progress
    unknown). ImportFileError (no job) when it cannot be an import at all. Interrupted (Ctrl-C),
    the job has failed and the interruption goes on.
    """
    size = 0
    if file.seekable():
        check_file(file, name)
        size = file.seek(0, io.SEEK_END)
        file.seek(0)
    job, lease = claim(
        ImportJob.objects.create(file_name=escaped(name)[-255:], file_size=size, dry_run=dry_run, via=Via.COMMAND).pk
    )
    try:
        return execute(job, lease, file, batch_size=batch_size, on_error=on_error, progress=progress)
    except BaseException:
        with suppress(LeaseLost):
            finish(job, lease, ImportStatus.FAILED, error=STOPPED)
        raise
