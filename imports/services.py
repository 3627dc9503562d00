"""Queuing an import: the file is stored where every worker can read it, then the job is queued."""

import io
import uuid

from django.core.files.storage import default_storage
from django.db import transaction

from candidates.imports import read_rows
from imports.models import ImportJob

#: How much of a file is read before it is queued, to refuse one that cannot be an import at once.
HEAD_BYTES = 65_536


def check_file(file, name: str) -> None:
    """ImportFileError when the file cannot be an import at all (its type, its header, its first row)."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if len(head) == HEAD_BYTES and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]  # whole lines only: never half a character
    next(iter(read_rows(io.BytesIO(head), name)), None)


def import_queue(*, file, name: str, dry_run: bool = False, actor=None) -> ImportJob:
    """
    Store the file and queue its import; the job runs once the caller's transaction commits.
    ImportFileError (nothing stored) when the file cannot be read as an import.
    """
    from imports.tasks import run_import

    check_file(file, name)
    suffix = name.rsplit(".", 1)[-1].lower()
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}.{suffix}", file)
    try:
        job = ImportJob.objects.create(
            file_name=name[-255:],
            file_size=default_storage.size(stored),
            stored_file=stored,
            dry_run=dry_run,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
    except BaseException:
        default_storage.delete(stored)
        raise
    # robust: if the queue is down, the job waits in the database for the sweeper instead of failing the request
    transaction.on_commit(lambda: run_import.enqueue(job.pk), robust=True)
    return job
