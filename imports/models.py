"""
An import job: a file of candidates waiting for, or going through, the import (`imports.tasks`):
in the background when the API or the admin queued it, at once when `manage.py import_candidates`
runs it. Its start and its end are stated as changes (`recruitos.changes`), from which the
dashboard keeps its sync runs and webhooks send `import.finished`.

Its progress is written in the same transaction as each batch of rows, so a job that a dead
worker left is resumed after the last batch written, with its counts exact. Its runner holds it by
a lease (`recruitos.leases`): renewed by a heartbeat while it runs, checked with every batch.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from recruitos.changes import Via
from recruitos.leases import Leased

#: How many row errors a job keeps (and the API shows); it counts them all.
KEPT_ERRORS = 100


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ImportJob(Leased):
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    file_name = models.CharField(max_length=255, help_text="The name the file was sent with.")
    stored_file = models.CharField(max_length=255, blank=True, help_text="Where it waits; emptied when the job ends.")
    dry_run = models.BooleanField(default=False)
    processed = models.PositiveIntegerField(default=0, help_text="Rows read so far.")
    file_size = models.PositiveBigIntegerField(default=0)
    bytes_read = models.PositiveBigIntegerField(default=0, help_text="How far into the file the rows written reach.")
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text=f"The first {KEPT_ERRORS} row errors.")
    error = models.TextField(blank=True, default="", help_text="Why the whole file failed.")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    requeued_at = models.DateTimeField(null=True, blank=True, help_text="When the sweeper last queued it again.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times a worker took it up.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.API, help_text="Who started it: how.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="importjob_newest_first"),
            # What the sweeper looks for: jobs that are not finished.
            models.Index(
                fields=["status"], name="importjob_unfinished", condition=models.Q(status__in=["queued", "running"])
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.status})"

    @property
    def progress(self) -> float:
        """How much of the file is done, 0 to 1 (by bytes: the rows are counted only as they are read)."""
        if self.status == ImportStatus.SUCCEEDED:
            return 1.0
        return round(min(self.bytes_read / self.file_size, 1.0), 3) if self.file_size else 0.0

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)
