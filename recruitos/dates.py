"""
The range of moments the project stores and accepts: 1900-01-01 up to (not including) 9999-01-01 UTC.

Python's datetimes end at year 9999; a stored moment near that end breaks what is computed from
it (a day's end, the next year of the admin's date hierarchy, the local time east of UTC).
Nothing a recruiting team schedules or records lies outside this range, so bodies, imports,
the admin and filters refuse what does, with a 400 (or a form error) instead of a 500.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)  # exclusive
OUT_OF_RANGE = "Enter a date and time from 1900-01-01 to 9998-12-31."
DAY_OUT_OF_RANGE = "Enter a day from 1900-01-01 to 9998-12-31."


def in_range(moment: datetime.datetime) -> bool:
    """Whether an aware moment (or a naive one, taken as UTC) lies in the supported range."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    try:
        return EARLIEST <= moment < LATEST
    except OverflowError:
        return False


def utc_text(moment: datetime.datetime) -> str:
    """A moment as the API writes it: 2031-03-04T15:00:00Z."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def day_in_range(day: datetime.date) -> bool:
    return EARLIEST.date() <= day < LATEST.date()


@deconstructible
class SupportedMoment:
    """A model field validator: the moment lies in the supported range."""

    def __call__(self, value):
        if value is not None and not in_range(value):
            raise ValidationError(OUT_OF_RANGE, code="out_of_range")

    def __eq__(self, other):
        return isinstance(other, SupportedMoment)
