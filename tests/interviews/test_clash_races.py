"""
No double booking under races (PostgreSQL, a live server, 20 clients released together), and the
upgrade of a database that holds overlaps already.
"""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from interviews.models import Interview, interviewer_key
from tests.factories import CandidateFactory, InterviewFactory
from tests.test_concurrency import CLIENTS, all_at_once, call  # noqa: F401  (call is a fixture)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="races are tested on PostgreSQL, as production runs"
)
SLOT = {"scheduledDate": "2031-03-04T15:00:00Z", "duration": 60, "type": "Video"}


def assert_one_booking(results, field: str):
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * (CLIENTS - 1)
    (winner,) = [json.loads(body)["id"] for status, body in results if status == 201]
    for status, body in results:
        if status == 409:
            (error,) = json.loads(body)["errors"]
            assert error["field"] == field
            assert error["message"].endswith(
                f"already has an interview from 2031-03-04T15:00:00Z to 2031-03-04T16:00:00Z (interview {winner})."
            )
    assert Interview.objects.filter(status="Scheduled").count() == 1


@on_postgresql
def test_twenty_simultaneous_bookings_of_one_interviewer_give_one(call):  # noqa: F811
    candidates = CandidateFactory.create_batch(CLIENTS)
    names = ["Michael Chen", "michael chen", " MICHAEL CHEN "]
    results = all_at_once([
        lambda i=i: call("POST", "/api/interviews", {**SLOT, "candidateId": candidates[i].pk,
                                                     "interviewer": names[i % 3]})
        for i in range(CLIENTS)
    ])  # fmt: skip
    assert_one_booking(results, "scheduledDate")


@on_postgresql
def test_twenty_simultaneous_bookings_of_one_candidate_give_one(call):  # noqa: F811
    john = CandidateFactory(first_name="John", last_name="Doe")
    results = all_at_once([
        lambda i=i: call("POST", "/api/interviews", {**SLOT, "candidateId": john.pk, "interviewer": f"Person {i}"})
        for i in range(CLIENTS)
    ])  # fmt: skip
    assert_one_booking(results, "candidateId")


@on_postgresql
def test_twenty_interviews_moved_into_one_slot_at_once_give_one(call):  # noqa: F811
    interviews = [
        InterviewFactory(interviewer="Michael Chen", scheduled_date=datetime.datetime(2031, 3, 5 + i, 9, tzinfo=datetime.UTC))
        for i in range(CLIENTS)
    ]  # fmt: skip
    results = all_at_once([
        lambda i=i: call("PUT", f"/api/interviews/{interviews[i].pk}", {"scheduledDate": SLOT["scheduledDate"]})
        for i in range(CLIENTS)
    ])  # fmt: skip
    assert sorted(status for status, _ in results) == [200] + [409] * (CLIENTS - 1)
    assert Interview.objects.filter(scheduled_date=datetime.datetime(2031, 3, 4, 15, tzinfo=datetime.UTC)).count() == 1


BEFORE, AFTER = ("interviews", "0007_interview_span_required"), ("interviews", "0008_no_double_booking")


def migrate(target):
    MigrationExecutor(connection).migrate([target])


def interview_as_of(target, interviewer: str, at: datetime.datetime):
    """A Scheduled interview written by the model as it was at migration `target` (today's has more columns)."""
    Interview = MigrationExecutor(connection).loader.project_state(target).apps.get_model("interviews", "Interview")
    return Interview.objects.create(
        candidate_id=CandidateFactory().pk, interviewer=interviewer, interviewer_key=interviewer_key(interviewer),
        scheduled_date=at, duration=60, ends_at=at + datetime.timedelta(minutes=60), status="Scheduled", type="Video",
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_migrations_after")
def test_the_upgrade_stops_on_stored_overlaps_and_names_them_until_they_are_fixed():
    migrate(BEFORE)
    at = datetime.datetime(2031, 3, 4, 15, tzinfo=datetime.UTC)
    first = interview_as_of(BEFORE, "Michael Chen", at)
    second = interview_as_of(BEFORE, "michael chen ", at + datetime.timedelta(minutes=30))
    interview_as_of(BEFORE, "Michael Chen", at + datetime.timedelta(minutes=90))  # back-to-back
    expected = (
        f"interviewer michael chen : interview {first.pk} (2031-03-04T15:00:00Z to 2031-03-04T16:00:00Z) overlaps "
        f"interview {second.pk} (2031-03-04T15:30:00Z to 2031-03-04T16:30:00Z)"
    )

    out = io.StringIO()
    with pytest.raises(CommandError) as found:
        call_command("find_interview_conflicts", stdout=out)
    assert out.getvalue() == expected + "\n"
    assert str(found.value) == "Found 1 overlapping interviews: move or cancel them."
    with pytest.raises(CommandError) as stopped:
        migrate(AFTER)
    assert str(stopped.value) == (
        f"Scheduled interviews overlap, so the rule against double booking cannot be added yet: {expected}. Run "
        "`manage.py find_interview_conflicts` to list them all, move or cancel them, then migrate again."
    )
    assert Interview.objects.count() == 3  # nothing lost

    Interview.objects.filter(pk=second.pk).update(status="Cancelled")
    migrate(AFTER)
    call_command("find_interview_conflicts", stdout=io.StringIO())
    if connection.vendor == "postgresql":
        names = {c.name for c in Interview._meta.constraints}
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, Interview._meta.db_table)
        assert {"interview_interviewer_free", "interview_candidate_free"} <= set(constraints) & names
