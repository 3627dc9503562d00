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


def interview_count() -> int:
    """How many interviews there are: the tally's sum where the database keeps it, else counted."""
    if tally_is_kept():
        return fetch_value(InterviewTally.objects.all(), Sum("count")) or 0
    return fetch_value(Interview.objects.all(), Count("*"))


def interview_count_on(day: datetime.date) -> int:
    """
    How many interviews start on `day` (TIME_ZONE): the tally's quarter hours summed where the
    database keeps it and the day is whole quarter hours (every time zone's day today), else counted.
    """
    start, end = day_bounds(day)
    whole = all(moment.timestamp() % InterviewTally.BUCKET_SECONDS == 0 for moment in (start, end))
    if tally_is_kept() and whole:
        return fetch_value(InterviewTally.objects.filter(starts__gte=start, starts__lt=end), Sum("count")) or 0
    return fetch_value(Interview.objects.filter(scheduled_date__gte=start, scheduled_date__lt=end), Count("*"))
