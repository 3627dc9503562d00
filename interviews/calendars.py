"""
Interviews as iCalendar (RFC 5545), written by the icalendar library, and the signed URLs of
calendar subscriptions.

Each interview is one VEVENT: a stable UID, the times in UTC, a SEQUENCE that grows with every
reschedule, STATUS:CANCELLED once cancelled, a summary such as "Technical interview: John Doe".
No notes and no contact details: a calendar is shared more widely than the back office.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from interviews.models import CalendarFeed, Interview, InterviewStatus, interviewer_key

PRODUCT = "-//RecruitOS//Interviews//EN"
#: At most this many events in one calendar: the latest by start.
MAX_EVENTS = 10_000
#: How long a cancelled interview stays in a feed, so that subscribed calendars remove it.
CANCELLED_KEPT = datetime.timedelta(days=30)
FEED_SALT = "recruitos.interviews.calendar-feed"
EVENT_FIELDS = ["scheduled_date", "ends_at", "type", "interviewer", "status", "sequence", "last_modified",
                "candidate__first_name", "candidate__last_name"]  # fmt: skip
STATUSES = {
    InterviewStatus.SCHEDULED: "CONFIRMED",
    InterviewStatus.COMPLETED: "CONFIRMED",
    InterviewStatus.CANCELLED: "CANCELLED",
}


def calendar_of(interviews, name: str) -> bytes:
    """A VCALENDAR with one VEVENT for each of `interviews` (a queryset), at most MAX_EVENTS, the latest."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    latest = interviews.select_related("candidate").only(*EVENT_FIELDS).order_by("-scheduled_date", "-id")
    for interview in latest[:MAX_EVENTS]:
        calendar.add_component(event_of(interview))
    return calendar.to_ical()


def event_of(interview: Interview) -> Event:
    event = Event()
    event.add("uid", f"interview-{interview.pk}@recruitos")
    event.add("dtstamp", _utc(interview.last_modified))
    event.add("last-modified", _utc(interview.last_modified))
    event.add("dtstart", _utc(interview.scheduled_date))
    event.add("dtend", _utc(interview.ends_at))
    event.add("sequence", interview.sequence)
    event.add("status", STATUSES[interview.status])
    event.add("summary", f"{interview.type} interview: {interview.candidate.full_name}")
    event.add("description", f"Interviewer: {interview.interviewer}")
    return event


def feed_interviews(interviewer: str | None):
    """What a feed serves: every interview (of one interviewer); a cancelled one only for CANCELLED_KEPT."""
    recently = timezone.now() - CANCELLED_KEPT
    interviews = Interview.objects.filter(~Q(status=InterviewStatus.CANCELLED) | Q(last_modified__gte=recently))
    if interviewer:
        interviews = interviews.filter(interviewer_key=interviewer_key(interviewer))
    return interviews


def feed_token(user, interviewer: str | None = None) -> str:
    """The secret of `user`'s feed (of one interviewer's interviews, or all): signed, valid until replaced."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return signing.dumps([user.pk, feed.version, interviewer or ""], salt=FEED_SALT, compress=True)


def feed_owner(token: str):
    """(user, interviewer or None) for a valid token of an active user who may still see interviews; else None."""
    try:
        user_id, version, interviewer = signing.loads(token, salt=FEED_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True, calendar_feed__version=version).first()
    if user is None or not user.has_perm("interviews.view_interview"):
        return None
    return user, interviewer or None


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)
