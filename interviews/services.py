"""
Writes to interviews: the one implementation the API, the admin and the commands call.

Each write and the activity it records share one transaction.
"""

from django.db import transaction

from dashboard.models import ActivityEvent
from dashboard.services import activity_record
from interviews.models import Interview, InterviewStatus
from recruitos.services import apply_changes, lock_for_update

STATUS_EVENTS = {
    InterviewStatus.SCHEDULED: ActivityEvent.SCHEDULED,
    InterviewStatus.COMPLETED: ActivityEvent.COMPLETED,
    InterviewStatus.CANCELLED: ActivityEvent.CANCELLED,
}


@transaction.atomic
def interview_create(*, data: dict, actor=None) -> Interview:
    """Schedule (or log) an interview with an existing candidate."""
    interview = Interview(**data)
    interview.save()
    _record(interview, STATUS_EVENTS[interview.status], actor)
    return interview


@transaction.atomic
def interview_update(*, instance: Interview, data: dict, actor=None) -> Interview:
    """Write the fields of `data` that change; a new time or status goes to the feed."""
    interview = lock_for_update(instance)
    changed = apply_changes(interview, data)
    if not changed:
        return interview
    interview.save(update_fields=list(changed))
    is_scheduled = interview.status == InterviewStatus.SCHEDULED
    if "scheduled_date" in changed and is_scheduled:
        _record(interview, ActivityEvent.RESCHEDULED, actor)
    elif "status" in changed:
        _record(interview, STATUS_EVENTS[interview.status], actor)
    return interview


@transaction.atomic
def interview_delete(*, instance: Interview, actor=None) -> None:
    """Delete an interview, locked first as `candidate_delete` explains; DoesNotExist if it is gone."""
    lock_for_update(instance).delete()


def _record(interview: Interview, event: ActivityEvent, actor) -> None:
    rating = str(interview.rating) if event == ActivityEvent.COMPLETED and interview.rating else ""
    activity_record(event=event, candidate=interview.candidate, interview=interview, detail=rating, actor=actor)
