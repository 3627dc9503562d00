"""
Writes to candidates: the one implementation the API, the admin and the commands call.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.models import Candidate
from recruitos.services import apply_changes, lock_for_update

EMAIL_CONSTRAINT = "candidate_email_unique_ci"
EMAIL_TAKEN = "A candidate with this email already exists."


@transaction.atomic
def candidate_create(*, data: dict, actor=None) -> Candidate:
    """Store a new candidate; `appliedDate` and `lastUpdated` are now unless `data` gives them."""
    now = timezone.now()
    candidate = Candidate(**{"applied_date": now, "last_updated": now, **data})
    _save(candidate)
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
    return candidate


@transaction.atomic
def candidate_delete(*, instance: Candidate, actor=None) -> None:
    """Delete a candidate and their interviews; DoesNotExist if someone else got there first."""
    deleted, _ = Candidate.objects.filter(pk=instance.pk).delete()
    if not deleted:
        raise Candidate.DoesNotExist


def _save(candidate: Candidate, **kwargs) -> None:
    """Save, turning a lost race on the email constraint into a validation error on `email`."""
    try:
        with transaction.atomic():
            candidate.save(**kwargs)
    except IntegrityError as exc:
        if EMAIL_CONSTRAINT in str(exc):
            raise ValidationError({"email": EMAIL_TAKEN}) from exc
        raise
