"""
A day's interviews are counted from the quarter-hour tally, which stays exact through every
kind of write (PostgreSQL keeps it with triggers; SQLite counts rows), whatever the time zone.
"""

import datetime

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone

from candidates.models import Candidate
from interviews.models import Interview, InterviewTally
from interviews.selectors import interview_count
from tests.factories import CandidateFactory, InterviewFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL keeps the tally (SQLite counts rows)"
)
DAY = datetime.date(2031, 3, 4)


def at(hour: int, minute: int = 0, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=datetime.UTC)


def assert_tally_exact():
    real: dict[datetime.datetime, int] = {}
    for moment in Interview.objects.values_list("scheduled_date", flat=True):
        bucket = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
        real[bucket] = real.get(bucket, 0) + 1
    kept = {
        row["starts"]: row["n"] for row in InterviewTally.objects.values("starts").annotate(n=Sum("count")) if row["n"]
    }
    assert kept == real


def day_total(client, day) -> int:
    response = client.get(f"/api/interviews?date={day}&limit=1")
    assert response.status_code == 200
    return int(response["X-Total-Count"])


@on_postgresql
def test_the_tally_follows_every_write(auth_client, db):
    candidate = CandidateFactory()
    created = auth_client.post(
        "/api/interviews", {"candidateId": candidate.id, "scheduledDate": "2031-03-04T09:07:00Z", "interviewer": "Dana"}
    ).json()
    Interview.objects.bulk_create(
        Interview(candidate=candidate, scheduled_date=at(h, 59), interviewer="Eve", status="Completed")
        for h in range(24)
    )
    assert_tally_exact()
    auth_client.put(f"/api/interviews/{created['id']}", {"scheduledDate": "2031-03-05T10:00:00Z"})
    Interview.objects.filter(scheduled_date__hour__lt=3).update(
        scheduled_date=at(12, 30, DAY + datetime.timedelta(days=1))
    )
    assert_tally_exact()
    Interview.objects.filter(scheduled_date__hour=5).delete()
    Candidate.objects.filter(pk=candidate.pk).delete()  # the rest go with their candidate
    assert_tally_exact()
    assert (InterviewTally.objects.aggregate(n=Sum("count"))["n"] or 0) == 0


@on_postgresql
def test_truncating_interviews_resets_the_tally(transactional_db):
    InterviewFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE interviews_interview CASCADE")
    assert not InterviewTally.objects.exists()
    InterviewFactory.create_batch(2)
    assert_tally_exact()


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu"])
def test_a_days_total_is_its_interviews_in_the_time_zone(auth_client, db, zone):
    """Every quarter hour around the day, in zones a whole, a half and three quarters of an hour off UTC."""
    candidate = CandidateFactory()
    start = at(0, 0, DAY - datetime.timedelta(days=1))
    moments = [start + datetime.timedelta(minutes=7 * n) for n in range(3 * 24 * 60 // 7)]
    Interview.objects.bulk_create(
        Interview(candidate=candidate, scheduled_date=m, interviewer="Dana", status="Completed") for m in moments
    )
    with override_settings(TIME_ZONE=zone), timezone.override(zone):
        expected = sum(1 for m in moments if timezone.localtime(m).date() == DAY)
        assert day_total(auth_client, DAY) == expected
        assert interview_count(DAY) == expected


@pytest.mark.parametrize("day", [datetime.date(2031, 3, 9), datetime.date(2031, 11, 2)], ids=["23 hours", "25 hours"])
def test_a_day_with_a_clock_change_counts_its_own_hours(auth_client, db, day):
    candidate = CandidateFactory()
    moments = [at(0, 0, day) + datetime.timedelta(minutes=15 * n) for n in range(-8, 4 * 30)]
    Interview.objects.bulk_create(
        Interview(candidate=candidate, scheduled_date=m, interviewer="Dana", status="Completed") for m in moments
    )
    with override_settings(TIME_ZONE="America/New_York"), timezone.override("America/New_York"):
        expected = sum(1 for m in moments if timezone.localtime(m).date() == day)
        assert expected in (23 * 4, 25 * 4)
        assert day_total(auth_client, day) == expected


@on_postgresql
def test_a_day_is_counted_without_reading_the_interviews(auth_client, db, django_assert_num_queries):
    InterviewFactory.create_batch(60, scheduled_date=at(10))
    with django_assert_num_queries(3) as captured:  # the key, the page, the day's total
        assert day_total(auth_client, DAY) == 60
    assert "interviews_interviewtally" in captured.captured_queries[-1]["sql"]
