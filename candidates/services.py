"""
Writes to candidates: the one implementation the API, the admin and the commands call.

Each write and the activity it records share one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.models import Candidate, Status
from dashboard.models import ActivityEvent
from dashboard.services import activity_forget_candidate, activity_record
from recruitos.services import apply_changes, lock_for_update

EMAIL_CONSTRAINT = "candidate_email_unique_ci"
EMAIL_TAKEN = "A candidate with this email already exists."


@transaction.atomic
def candidate_create(*, data: dict, actor=None) -> Candidate:
    """Store a new candidate; `appliedDate` and `lastUpdated` are now unless `data` gives them."""
    now = timezone.now()
    candidate = Candidate(**{"applied_date": now, "last_updated": now, **data})
    _save(candidate)
    activity_record(event=ActivityEvent.APPLIED, candidate=candidate, detail=candidate.position, actor=actor)
    return candidate


@transaction.atomic
def candidate_update(*, instance: Candidate, data: dict, actor=None) -> Candidate:
    """Write the fields of `data` that change; `lastUpdated` moves only when something does."""
    candidate = lock_for_update(instance)
    changed = apply_changes(candidate, data)
    if not changed:
        return candidate
    if "last_updated" not in data:
        candidate.last_updated = timezone.now()
    _save(candidate, update_fields=[*changed, "last_updated"])
    _record_pipeline_moves(candidate, changed, actor)
    return candidate


@transaction.atomic
def candidate_delete(*, instance: Candidate, actor=None) -> None:
    """
    Delete a candidate and their interviews; DoesNotExist if someone else got there first.

    Their name is erased from the activity feed; the deletion stays in it, nameless.
    """
    activity_forget_candidate(candidate_id=instance.pk)
    deleted, _ = Candidate.objects.filter(pk=instance.pk).delete()
    if not deleted:
        raise Candidate.DoesNotExist
    activity_record(event=ActivityEvent.DELETED, actor=actor)


def _record_pipeline_moves(candidate: Candidate, changed: dict, actor) -> None:
    """A status change ("moved to Screened", or "hired as …") and a phase change each get an entry."""
    if "status" in changed:
        if candidate.status == Status.HIRED:
            event, detail = ActivityEvent.HIRED, candidate.position
        else:
            event, detail = ActivityEvent.STATUS_CHANGED, candidate.status
        activity_record(event=event, candidate=candidate, detail=detail, actor=actor)
    if "phase" in changed:
        activity_record(
            event=ActivityEvent.PHASE_CHANGED, candidate=candidate, detail=str(candidate.phase), actor=actor
        )


def _save(candidate: Candidate, **kwargs) -> None:
    """Save, turning a lost race on the email constraint into a validation error on `email`."""
    try:
        with transaction.atomic():
            candidate.save(**kwargs)
    except IntegrityError as exc:
        if EMAIL_CONSTRAINT in str(exc):
            raise ValidationError({"email": EMAIL_TAKEN}) from exc
        raise
