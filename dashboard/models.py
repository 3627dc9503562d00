"""
What the dashboard reports besides counts: the activity feed and the data sync runs.

An activity row keeps structured facts (the event, a non-personal detail such as a
position or status, the candidate's name while they exist) and renders the frontend's
sentence from them on read, so erasing a candidate's name erases it from every sentence.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from candidates.models import Candidate
from interviews.models import Interview


class ActivityType(models.TextChoices):
    """The contract's `ActivityItem.type`."""

    CANDIDATE = "candidate", "Candidate"
    INTERVIEW = "interview", "Interview"
    SYNC = "sync", "Sync"


class ActivityEvent(models.TextChoices):
    """What happened; each event belongs to one activity type."""

    APPLIED = "applied", "Candidate applied"
    STATUS_CHANGED = "status_changed", "Candidate status changed"
    PHASE_CHANGED = "phase_changed", "Candidate phase changed"
    HIRED = "hired", "Candidate hired"
    DELETED = "deleted", "Candidate deleted"
    MERGED = "merged", "Duplicates merged"
    ANONYMIZED = "anonymized", "Candidate anonymized"
    PURGED = "purged", "Candidates purged"
    SCHEDULED = "scheduled", "Interview scheduled"
    RESCHEDULED = "rescheduled", "Interview rescheduled"
    COMPLETED = "completed", "Interview completed"
    CANCELLED = "cancelled", "Interview cancelled"
    INTERVIEW_DELETED = "interview_deleted", "Interview deleted"
    SYNCED = "synced", "Candidates synced"


EVENT_TYPES = {
    ActivityEvent.APPLIED: ActivityType.CANDIDATE,
    ActivityEvent.STATUS_CHANGED: ActivityType.CANDIDATE,
    ActivityEvent.PHASE_CHANGED: ActivityType.CANDIDATE,
    ActivityEvent.HIRED: ActivityType.CANDIDATE,
    ActivityEvent.DELETED: ActivityType.CANDIDATE,
    ActivityEvent.MERGED: ActivityType.CANDIDATE,
    ActivityEvent.ANONYMIZED: ActivityType.CANDIDATE,
    ActivityEvent.PURGED: ActivityType.CANDIDATE,
    ActivityEvent.SCHEDULED: ActivityType.INTERVIEW,
    ActivityEvent.RESCHEDULED: ActivityType.INTERVIEW,
    ActivityEvent.COMPLETED: ActivityType.INTERVIEW,
    ActivityEvent.CANCELLED: ActivityType.INTERVIEW,
    ActivityEvent.INTERVIEW_DELETED: ActivityType.INTERVIEW,
    ActivityEvent.SYNCED: ActivityType.SYNC,
}


class Activity(models.Model):
    """
    One entry of the activity feed, derived from a service's statement of what changed, in the
    same transaction. Erasing a person erases their name from their entries; deleting them
    unlinks the entries too, in the deletion's transaction (`dashboard.services.candidates_deleted`).
    """

    event = models.CharField(max_length=20, choices=ActivityEvent.choices)
    detail = models.CharField(
        max_length=255, blank=True, default="", help_text="Position, status, phase, rating or file name."
    )
    candidate_name = models.CharField(max_length=201, null=True, blank=True)
    interviewer = models.CharField(max_length=200, null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    timestamp = models.DateTimeField(default=timezone.now)
    # As history's actor: no constraint and no index, each of which every write pays, for the
    # deletion of a user (Django's SET_NULL finds their entries) that deactivation makes rare.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="activity"
    )  # unlinked in the deletion's transaction, before its deferred constraint is checked
    interview = models.ForeignKey(
        Interview, on_delete=models.SET_NULL, null=True, blank=True, related_name="activity", db_index=False
    )  # indexed where set: most entries are about candidates (activity_of_interview)

    class Meta:
        verbose_name_plural = "activity"
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["-timestamp", "-id"], name="activity_newest_first"),
            models.Index(
                fields=["interview"], name="activity_of_interview", condition=models.Q(interview__isnull=False)
            ),
        ]

    def __str__(self):
        return self.action

    @property
    def type(self) -> str:
        return EVENT_TYPES[self.event]

    @property
    def action(self) -> str:
        """The sentence the frontend shows, e.g. "moved to Phone Interview"."""
        with_name = f" with {self.candidate_name}" if self.candidate_name else ""
        match self.event:
            case ActivityEvent.APPLIED:
                return f"applied for {self.detail}"
            case ActivityEvent.STATUS_CHANGED:
                return f"moved to {self.detail}"
            case ActivityEvent.PHASE_CHANGED:
                return f"moved to Phase {self.detail}"
            case ActivityEvent.HIRED:
                return f"hired as {self.detail}"
            case ActivityEvent.DELETED:
                return "Candidate deleted"
            case ActivityEvent.MERGED:
                return f"merged with {_records(self.count, 'duplicate record')}"
            case ActivityEvent.ANONYMIZED:
                return "Candidate anonymized"
            case ActivityEvent.PURGED:
                return f"{_records(self.count, 'candidate')} deleted by the retention policy"
            case ActivityEvent.SCHEDULED:
                return f"Interview scheduled{with_name}"
            case ActivityEvent.RESCHEDULED:
                return f"Interview{with_name} rescheduled"
            case ActivityEvent.COMPLETED:
                rating = f" (rating {self.detail}/5)" if self.detail else ""
                return f"Interview{with_name} completed{rating}"
            case ActivityEvent.CANCELLED:
                return f"Interview{with_name} cancelled"
            case ActivityEvent.INTERVIEW_DELETED:
                return f"Interview{with_name} deleted"
            case ActivityEvent.SYNCED:
                return f"{_records(self.count, 'new candidate')} synced from {self.detail}"
        return self.get_event_display()


def _records(count: int | None, noun: str) -> str:
    """ "1 new candidate", "15 new candidates"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


class SyncStatus(models.TextChoices):
    """The contract's `DashboardStats.syncStatus`."""

    SYNCING = "syncing", "Syncing"
    SYNCED = "synced", "Synced"
    ERROR = "error", "Error"


class SyncRun(models.Model):
    """One run of a data sync (an import): when, from where, and what it did."""

    source = models.CharField(max_length=255)
    import_job_id = models.BigIntegerField(
        null=True, blank=True, unique=True, help_text="The import job that ran it (imports.ImportJob)."
    )
    status = models.CharField(max_length=10, choices=SyncStatus.choices, default=SyncStatus.SYNCING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["-started_at", "-id"], name="syncrun_newest_first")]

    def __str__(self):
        return f"{self.source} ({self.status}, {self.started_at:%Y-%m-%d %H:%M})"
