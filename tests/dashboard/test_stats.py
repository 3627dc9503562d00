"""`GET /api/dashboard/stats`: the contract's seven fields with real numbers, in one query."""

import datetime
import io

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dashboard.models import SyncRun
from imports.models import ImportJob
from imports.tasks import claim, execute
from recruitos.leases import Lease
from tests.factories import CandidateFactory, InterviewFactory

ONE_ROW = b"firstName,lastName,email,position\nA,B,a@example.com,Dev\n"


def started_import(name: str) -> tuple[ImportJob, Lease]:
    """An import job whose runner has just taken it up, and that runner's lease."""
    return claim(ImportJob.objects.create(file_name=name).pk)


def stats(client):
    response = client.get("/api/dashboard/stats")
    assert response.status_code == 200
    return response.json()


def test_an_empty_database_reports_zeros_and_synced(auth_client):
    body = stats(auth_client)
    assert set(body) == {
        "totalCandidates", "phase1Count", "phase2Count", "hiredCount", "interviewsToday", "syncStatus", "lastSync",
    }  # fmt: skip
    assert {k: v for k, v in body.items() if k != "lastSync"} == {
        "totalCandidates": 0, "phase1Count": 0, "phase2Count": 0, "hiredCount": 0, "interviewsToday": 0,
        "syncStatus": "synced",
    }  # fmt: skip
    assert abs(parse_datetime(body["lastSync"]) - timezone.now()) < datetime.timedelta(seconds=10)


def test_counts_come_from_the_tables(auth_client, db):
    CandidateFactory.create_batch(3, phase=1, status="New")
    CandidateFactory(phase=1, status="Rejected")
    CandidateFactory.create_batch(2, phase=2, status="Hired")
    CandidateFactory(phase=2, status="Offer Extended")
    body = stats(auth_client)
    assert (body["totalCandidates"], body["phase1Count"], body["phase2Count"], body["hiredCount"]) == (7, 4, 3, 2)


def test_interviews_today_counts_todays_interviews_that_are_not_cancelled(auth_client, db, settings):
    settings.TIME_ZONE = "America/New_York"
    zone = timezone.get_current_timezone()
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min), zone)
    tomorrow = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=1), datetime.time.min), zone
    )
    for moment, status in [
        (midnight, "Scheduled"),
        (midnight + datetime.timedelta(hours=12), "Completed"),
        (tomorrow - datetime.timedelta(seconds=1), "Scheduled"),
        (midnight + datetime.timedelta(hours=9), "Cancelled"),
        (midnight - datetime.timedelta(seconds=1), "Scheduled"),
        (tomorrow, "Scheduled"),
    ]:
        InterviewFactory(scheduled_date=moment, status=status)
    assert stats(auth_client)["interviewsToday"] == 3


def test_before_any_sync_last_sync_is_the_newest_change(auth_client):
    created = auth_client.post(
        "/api/candidates", {"firstName": "A", "lastName": "B", "email": "a@example.com", "position": "Dev"}
    ).json()
    updated = auth_client.put(f"/api/candidates/{created['id']}", {"status": "Screened"}).json()
    body = stats(auth_client)
    assert body["syncStatus"] == "synced"
    assert parse_datetime(body["lastSync"]) >= parse_datetime(updated["lastUpdated"])
    assert parse_datetime(body["lastSync"]) <= timezone.now()


def test_sync_status_follows_the_latest_import(auth_client, db):
    job, lease = started_import("candidates.csv")
    run = SyncRun.objects.get(import_job_id=job.pk)
    body = stats(auth_client)
    assert (body["syncStatus"], parse_datetime(body["lastSync"])) == ("syncing", run.started_at)

    execute(job, lease, io.BytesIO(ONE_ROW))
    body = stats(auth_client)
    run.refresh_from_db()
    assert (body["syncStatus"], parse_datetime(body["lastSync"])) == ("synced", run.finished_at)
    assert (run.source, run.created_count, run.finished_at) == ("candidates.csv", 1, job.finished_at)

    failing, lease = started_import("broken.json")
    execute(failing, lease, io.BytesIO(b'[{"firstName": "cut off'))
    body = stats(auth_client)
    run = SyncRun.objects.get(import_job_id=failing.pk)
    assert (body["syncStatus"], parse_datetime(body["lastSync"])) == ("error", run.finished_at)
    assert run.error.startswith("malformed JSON after row 0")


@pytest.mark.parametrize("rows", [3, 60])
def test_stats_take_one_query_besides_the_key_lookup(auth_client, db, django_assert_max_num_queries, rows):
    for candidate in CandidateFactory.create_batch(rows):
        InterviewFactory(candidate=candidate, scheduled_date=timezone.now())
    started_import("x.csv")
    with django_assert_max_num_queries(2):
        body = stats(auth_client)
    assert (body["totalCandidates"], body["interviewsToday"]) == (rows, rows)


def test_stats_need_a_key(api_client, db):
    assert api_client.get("/api/dashboard/stats").status_code == 401
    assert api_client.get("/api/dashboard/stats/").status_code == 401
