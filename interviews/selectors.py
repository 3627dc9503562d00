"""Reads over interviews that are more than a filter: a day's bounds and how many interviews it holds."""

import datetime

from django.db.models import Count, Sum
from django.utils import timezone

from candidates.selectors import tally_is_kept
from interviews.models import Interview, InterviewTally
from recruitos.sql import fetch_value


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Midnight to midnight of `day` in TIME_ZONE (23 or 25 hours across a daylight-saving change)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def today_bounds() -> tuple[datetime.datetime, datetime.datetime]:
    """Midnight to midnight of today in TIME_ZONE."""
    return day_bounds(timezone.localdate())


def interview_count(day: datetime.date | None = None) -> int:
    """
    How many interviews there are, or start on `day` (TIME_ZONE): the tally's quarter hours
    summed where the database keeps it (and the day is whole quarter hours, as every time
    zone's day is today), else the rows counted.
    """
    tally, interviews = InterviewTally.objects.all(), Interview.objects.all()
    if day is not None:
        start, end = day_bounds(day)
        tally = tally.filter(starts__gte=start, starts__lt=end)
        interviews = interviews.filter(scheduled_date__gte=start, scheduled_date__lt=end)
        if any(moment.timestamp() % InterviewTally.BUCKET_SECONDS for moment in (start, end)):
            return fetch_value(interviews, Count("*"))
    if tally_is_kept():
        return fetch_value(tally, Sum("count")) or 0
    return fetch_value(interviews, Count("*"))
