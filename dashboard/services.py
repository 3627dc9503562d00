"""
Writes to the activity feed and the sync run records.

Candidate and interview services call these inside their own transaction, so an
activity row exists exactly when the change it describes does.
"""

from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate
from dashboard.models import Activity, ActivityEvent, SyncRun, SyncStatus
from interviews.models import Interview


def activity_record(**facts) -> Activity:
    """Append one entry to the feed, with who made the change and links to what it is about."""
    activity = activity_for(**facts)
    activity.save(force_insert=True)
    return activity


def activity_for(
    *,
    event: ActivityEvent,
    actor=None,
    candidate: Candidate | None = None,
    interview: Interview | None = None,
    detail: str = "",
    count: int | None = None,
) -> Activity:
    """The feed entry `activity_record` stores, not yet saved (to store it with its candidate)."""
    return Activity(
        event=event,
        detail=detail,
        count=count,
        candidate=candidate,
        candidate_name=candidate.full_name if candidate is not None else None,
        interview=interview,
        interviewer=interview.interviewer if interview is not None else None,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def activity_forget_candidates(*, candidate_ids: list[int]) -> int:
    """Erase candidates' names from every activity row about them or their interviews."""
    return Activity.objects.filter(candidate_id__in=candidate_ids).update(candidate_name=None)


def activity_reassign(*, from_candidate_ids: list[int], to: Candidate) -> int:
    """Move the activity of merged duplicates to the candidate they were merged into."""
    return Activity.objects.filter(candidate_id__in=from_candidate_ids).update(
        candidate=to, candidate_name=to.full_name
    )


def sync_run_start(*, source: str) -> SyncRun:
    """Record that a sync from `source` has begun; the dashboard shows "syncing" until it ends."""
    return SyncRun.objects.create(source=source, status=SyncStatus.SYNCING)


@transaction.atomic
def sync_run_finish(*, run: SyncRun, created: int, updated: int, failed: int) -> SyncRun:
    """Mark a run finished with its counts, and tell the feed how many candidates it added."""
    run.status = SyncStatus.SYNCED
    run.finished_at = timezone.now()
    run.created_count, run.updated_count, run.failed_count = created, updated, failed
    run.save(update_fields=["status", "finished_at", "created_count", "updated_count", "failed_count"])
    activity_record(event=ActivityEvent.SYNCED, detail=run.source, count=created)
    return run


def sync_run_fail(*, run: SyncRun, error: str, created: int = 0, updated: int = 0, failed: int = 0) -> SyncRun:
    """Mark a run as failed, keeping what it had done before it died."""
    run.status = SyncStatus.ERROR
    run.finished_at = timezone.now()
    run.error = error
    run.created_count, run.updated_count, run.failed_count = created, updated, failed
    run.save()
    return run
