"""
Interviews as iCalendar (RFC 5545), their text escaped and folded by the icalendar library, and
the signed URLs of calendar subscriptions.

Each interview is one VEVENT: a stable UID, the times in UTC, a SEQUENCE that grows with every
reschedule, STATUS:CANCELLED once cancelled, a summary such as "Technical interview: John Doe".
No notes and no contact details: a calendar is shared more widely than the back office.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from icalendar import vText
from icalendar.parser import Contentline

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
    """
    A VCALENDAR with one VEVENT for each of `interviews` (a queryset), at most MAX_EVENTS, the latest.

    The events are read as rows and written line by line: building an icalendar `Event` and
    serializing it cost 0.6 ms an interview (7 s for a calendar of 12,000, bench/README.md). The
    library still writes every value that needs it: text through its `vText` (RFC 5545's escaping
    of backslash, semicolon, comma and line breaks) and each line through its `Contentline` (folded
    at 75 octets); the moments are UTC (`…Z`), the rest are numbers and fixed words.
    """
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODUCT}", "VERSION:2.0", "CALSCALE:GREGORIAN", _text("X-WR-CALNAME", name)]
    latest = interviews.order_by("-scheduled_date", "-id").values_list("pk", *EVENT_FIELDS)[:MAX_EVENTS]
    for pk, start, end, kind, interviewer, status, sequence, modified, first_name, last_name in latest:
        stamp = _moment(modified)
        lines += [
            "BEGIN:VEVENT",
            _text("SUMMARY", f"{kind} interview: {first_name} {last_name}"),
            f"DTSTART:{_moment(start)}",
            f"DTEND:{_moment(end)}",
            f"DTSTAMP:{stamp}",
            f"UID:interview-{pk}@recruitos",
            f"SEQUENCE:{sequence}",
            _text("DESCRIPTION", f"Interviewer: {interviewer}"),
            f"LAST-MODIFIED:{stamp}",
            f"STATUS:{STATUSES[status]}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def _text(name: str, value: str) -> str:
    """A TEXT property's line, escaped by icalendar's `vText` and, past 75 octets, folded by its `Contentline`."""
    line = f"{name}:{vText(value).to_ical().decode()}"
    return line if len(line.encode()) <= 75 else Contentline(line).to_ical().decode()


def _moment(moment: datetime.datetime) -> str:
    """A DATE-TIME in UTC, as icalendar writes one (RFC 5545's form 2: `20310304T150000Z`)."""
    m = moment.astimezone(datetime.UTC)
    return f"{m.year:04d}{m.month:02d}{m.day:02d}T{m.hour:02d}{m.minute:02d}{m.second:02d}Z"


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
