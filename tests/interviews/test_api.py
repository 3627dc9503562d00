"""`/api/interviews`: create, read, partial update and delete, as the contract shows them."""

import datetime

import pytest
from django.utils import timezone

from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory


@pytest.fixture
def candidate(db):
    return CandidateFactory()


def test_create_returns_201_with_the_full_object(auth_client, candidate):
    body = {
        "candidateId": candidate.id,
        "type": "Technical",
        "scheduledDate": "2024-01-22T15:00:00Z",
        "duration": 90,
        "interviewer": "Jane Doe",
        "status": "Scheduled",
        "notes": "Technical coding interview",
    }
    response = auth_client.post("/api/interviews", body)
    assert response.status_code == 201
    stored = Interview.objects.get()
    assert response.json() == {"id": stored.id, **body, "rating": None}
    assert stored.candidate == candidate
    assert stored.scheduled_date == datetime.datetime(2024, 1, 22, 15, tzinfo=datetime.UTC)


def test_create_takes_the_contracts_defaults(auth_client, candidate):
    body = {"candidateId": candidate.id, "scheduledDate": "2031-03-04T10:00:00Z", "interviewer": "Jane"}
    created = auth_client.post("/api/interviews", body).json()
    assert (created["type"], created["duration"], created["status"], created["notes"], created["rating"]) == (
        "Phone", 60, "Scheduled", None, None,
    )  # fmt: skip


def test_a_time_without_zone_is_taken_in_time_zone(auth_client, candidate, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    body = {"candidateId": candidate.id, "scheduledDate": "2031-03-04T10:00:00", "interviewer": "Jane"}
    created = auth_client.post("/api/interviews", body).json()
    assert created["scheduledDate"] == "2031-03-04T10:00:00+01:00"
    assert Interview.objects.get().scheduled_date == datetime.datetime(2031, 3, 4, 9, tzinfo=datetime.UTC)


@pytest.mark.parametrize("suffix", ["", "/"])
def test_urls_answer_with_and_without_trailing_slash(auth_client, candidate, suffix):
    body = {"candidateId": candidate.id, "scheduledDate": "2031-03-04T10:00:00Z", "interviewer": "Jane"}
    created = auth_client.post(f"/api/interviews{suffix}", body)
    assert created.status_code == 201
    interview_id = created.json()["id"]
    assert auth_client.get(f"/api/interviews{suffix}").status_code == 200
    assert auth_client.get(f"/api/interviews/{interview_id}{suffix}").status_code == 200
    assert auth_client.put(f"/api/interviews/{interview_id}{suffix}", {"duration": 30}).status_code == 200
    assert auth_client.delete(f"/api/interviews/{interview_id}{suffix}").status_code == 204


def test_put_is_a_partial_update(auth_client):
    interview = InterviewFactory(interviewer="Jane Doe", notes=None)
    response = auth_client.put(
        f"/api/interviews/{interview.id}",
        {"status": "Completed", "rating": 4, "notes": "Strong technical skills, good problem-solving approach"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["interviewer"], body["status"], body["rating"]) == ("Jane Doe", "Completed", 4)
    interview.refresh_from_db()
    assert (interview.status, interview.rating) == ("Completed", 4)


def test_an_interview_can_move_to_another_candidate(auth_client, candidate):
    interview = InterviewFactory()
    response = auth_client.patch(f"/api/interviews/{interview.id}", {"candidateId": candidate.id})
    assert response.status_code == 200
    assert response.json()["candidateId"] == candidate.id
    interview.refresh_from_db()
    assert interview.candidate_id == candidate.id


def test_delete_returns_204_and_keeps_the_candidate(auth_client):
    interview = InterviewFactory()
    response = auth_client.delete(f"/api/interviews/{interview.id}")
    assert response.status_code == 204
    assert response.content == b""
    assert not Interview.objects.exists()
    assert auth_client.get(f"/api/candidates/{interview.candidate_id}").status_code == 200


def test_get_one_returns_the_stored_interview(auth_client):
    when = timezone.now().replace(microsecond=0)
    interview = InterviewFactory(scheduled_date=when, rating=3, status="Completed")
    body = auth_client.get(f"/api/interviews/{interview.id}").json()
    assert body["candidateId"] == interview.candidate_id
    assert body["rating"] == 3
    assert body["scheduledDate"] == when.isoformat().replace("+00:00", "Z")
