"""
What a change of a candidate means: the one rule from a `recruitos.changes.Change` to its event
types. The activity feed and webhooks both follow it (`webhooks.models.EventType` lists the ones
a subscription can ask for).
"""

from django.db import models

from candidates.models import Status
from recruitos.changes import Action, Change, Reason


class CandidateEvent(models.TextChoices):
    CREATED = "candidate.created"
    UPDATED = "candidate.updated"
    STATUS_CHANGED = "candidate.status_changed"
    HIRED = "candidate.hired"
    PHASE_CHANGED = "candidate.phase_changed"
    DELETED = "candidate.deleted"
    ANONYMIZED = "candidate.anonymized"
    MERGED = "candidate.merged"
    #: Many candidates deleted by the retention policy (a summary: one per purge).
    PURGED = "candidates.purged"


class SyncEvent(models.TextChoices):
    """
    A sync of candidates from a file (an import, whichever app runs it) began or ended. The
    change's object is the import; its API form (its entity's serializer) says `file_name`,
    `dry_run`, `status` ("succeeded" or "failed" at the end), the counts and the `error`.
    """

    STARTED = "import.started"
    FINISHED = "import.finished"


def candidate_events(change: Change) -> list[str]:
    """
    A new candidate is `created`; a deleted one `deleted`; the retention policy's summary
    `purged`; anonymising is `anonymized` alone. Any other change is `updated`, and also
    `status_changed` (and `hired`, moved to Hired) and `phase_changed` when those move, and
    `merged` for the candidate duplicates were merged into.
    """
    if change.instance is None:
        return [CandidateEvent.PURGED] if change.reason == Reason.PURGED else []
    if change.action == Action.CREATED:
        return [CandidateEvent.CREATED]
    if change.action == Action.DELETED:
        return [CandidateEvent.DELETED]
    if change.reason == Reason.ANONYMIZED:
        return [CandidateEvent.ANONYMIZED]
    events = [CandidateEvent.UPDATED]
    if "status" in change.fields:
        events.append(CandidateEvent.STATUS_CHANGED)
        if change.fields["status"][1] == Status.HIRED:
            events.append(CandidateEvent.HIRED)
    if "phase" in change.fields:
        events.append(CandidateEvent.PHASE_CHANGED)
    if change.reason == Reason.MERGED:
        events.append(CandidateEvent.MERGED)
    return events
