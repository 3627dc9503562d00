"""
What a change of an interview means: the one rule from a `recruitos.changes.Change` to its event
types, for the activity feed, webhooks and calendars (a change with an event moves the event's
SEQUENCE).
"""

from django.db import models

from interviews.models import InterviewStatus
from recruitos.changes import Action, Change, Reason


class InterviewEvent(models.TextChoices):
    SCHEDULED = "interview.scheduled"
    RESCHEDULED = "interview.rescheduled"
    COMPLETED = "interview.completed"
    CANCELLED = "interview.cancelled"
    DELETED = "interview.deleted"


#: An interview created or moved to a status.
STATUS_EVENTS = {
    InterviewStatus.SCHEDULED: InterviewEvent.SCHEDULED,
    InterviewStatus.COMPLETED: InterviewEvent.COMPLETED,
    InterviewStatus.CANCELLED: InterviewEvent.CANCELLED,
}
#: The interview's time: a change of either reschedules it.
TIME = ("scheduled_date", "duration")


def interview_events(change: Change) -> list[str]:
    """
    Created, or moved to a status: that status's event. Its time or length changed (and not its
    status): `rescheduled`. Deleted: `deleted`, unless with its candidate (whose deletion says it).
    Any other change (notes, rating, interviewer, candidate) has no event.
    """
    if change.action == Action.DELETED:
        return [] if change.reason == Reason.WITH_CANDIDATE else [InterviewEvent.DELETED]
    if change.action == Action.CREATED:
        return [STATUS_EVENTS[change.fields["status"][1]]]
    if "status" in change.fields:
        return [STATUS_EVENTS[change.fields["status"][1]]]
    if any(column in change.fields for column in TIME):
        return [InterviewEvent.RESCHEDULED]
    return []
