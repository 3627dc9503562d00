"""
An interviewer's free time on a day: the windows within working hours (WORKING_HOURS, in
TIME_ZONE) that no Scheduled interview of theirs occupies, and that are long enough.

Times are compared as instants (UTC), never as wall-clock times, so a day with a daylight-saving
change has the hours it really has.
"""

import datetime
import re

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from interviews.clashes import LONGEST
from interviews.models import Interview, InterviewStatus, interviewer_key

_HOURS = re.compile(r"(\d{2}):(\d{2})-(\d{2}):(\d{2})")


def working_hours(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The working hours of `day` in TIME_ZONE, as two instants in UTC. "24:00" is the next midnight."""
    opens, closes = _opening_minutes(settings.WORKING_HOURS)
    return _instant(day, opens), _instant(day, closes)


def _opening_minutes(text: str) -> tuple[int, int]:
    """ "09:00-17:00" → (540, 1020), minutes after midnight; ImproperlyConfigured unless it opens before it closes."""
    found = _HOURS.fullmatch(text)
    if found:
        open_hour, open_minute, close_hour, close_minute = map(int, found.groups())
        opens, closes = open_hour * 60 + open_minute, close_hour * 60 + close_minute
        if open_minute < 60 and close_minute < 60 and 0 <= opens < closes <= 24 * 60:
            return opens, closes
    raise ImproperlyConfigured(f"WORKING_HOURS is HH:MM-HH:MM from 00:00 to 24:00, opening first; not {text!r}")


def check_working_hours(app_configs=None, **kwargs) -> list:
    """A system check (`manage.py check`, and every start): WORKING_HOURS must be readable."""
    try:
        _opening_minutes(settings.WORKING_HOURS)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="interviews.E001")]
    return []


def free_windows(*, interviewer: str, day: datetime.date, minutes: int) -> list[tuple[datetime.datetime, ...]]:
    """The interviewer's free windows of at least `minutes` on `day`, from now on."""
    start, end = working_hours(day)
    start = max(start, _next_minute(timezone.now()))
    busy = (
        Interview.objects.filter(interviewer_key=interviewer_key(interviewer), status=InterviewStatus.SCHEDULED)
        .filter(scheduled_date__gt=start - LONGEST, scheduled_date__lt=end, ends_at__gt=start)
        .order_by("scheduled_date")
        .values_list("scheduled_date", "ends_at")
    )
    need, windows, free_from = datetime.timedelta(minutes=minutes), [], start
    for taken_from, taken_until in [*busy, (end, end)]:
        if min(taken_from, end) - free_from >= need:
            windows.append((free_from, min(taken_from, end)))
        free_from = max(free_from, taken_until)
    return windows


def _instant(day: datetime.date, minutes: int) -> datetime.datetime:
    day += datetime.timedelta(days=minutes // (24 * 60))
    local = datetime.datetime.combine(day, datetime.time(*divmod(minutes % (24 * 60), 60)))
    return timezone.make_aware(local).astimezone(datetime.UTC)


def _next_minute(moment: datetime.datetime) -> datetime.datetime:
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + datetime.timedelta(minutes=1)
