"""
Writes to interviews: the one implementation the API, the admin and the commands call.
"""

from django.db import transaction

from interviews.models import Interview
from recruitos.services import apply_changes, lock_for_update


@transaction.atomic
def interview_create(*, data: dict, actor=None) -> Interview:
    """Schedule an interview with an existing candidate."""
    interview = Interview(**data)
    interview.save()
    return interview


@transaction.atomic
def interview_update(*, instance: Interview, data: dict, actor=None) -> Interview:
    """Write the fields of `data` that change."""
    interview = lock_for_update(instance)
    changed = apply_changes(interview, data)
    if changed:
        interview.save(update_fields=list(changed))
    return interview


@transaction.atomic
def interview_delete(*, instance: Interview, actor=None) -> None:
    """Delete an interview; DoesNotExist if someone else got there first."""
    deleted, _ = Interview.objects.filter(pk=instance.pk).delete()
    if not deleted:
        raise Interview.DoesNotExist
