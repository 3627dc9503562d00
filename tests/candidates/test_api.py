"""`/api/candidates`: create, read, partial update and delete, as the contract shows them."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from candidates.models import Candidate
from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory

NEW_CANDIDATE = {
    "firstName": "John",
    "lastName": "Doe",
    "email": "john.doe@email.com",
    "phone": "+1 (555) 987-6543",
    "position": "Backend Developer",
    "phase": 1,
    "status": "New",
    "source": "Indeed",
    "skills": "Python, FastAPI, PostgreSQL",
    "experience": 5,
    "notes": "Strong backend experience",
}


def test_create_returns_201_with_the_full_object(auth_client):
    response = auth_client.post("/api/candidates", NEW_CANDIDATE)
    assert response.status_code == 201
    body = response.json()
    stored = Candidate.objects.get()
    assert body == {
        "id": stored.id,
        **NEW_CANDIDATE,
        "appliedDate": body["appliedDate"],
        "lastUpdated": body["lastUpdated"],
        "resumeUrl": None,
        "linkedinUrl": None,
    }
    assert list(body) == [
        "id", "firstName", "lastName", "email", "phone", "position", "phase", "status", "source",
        "appliedDate", "lastUpdated", "skills", "experience", "notes", "resumeUrl", "linkedinUrl",
    ]  # fmt: skip
    applied = parse_datetime(body["appliedDate"])
    assert applied.tzinfo is not None
    assert abs(applied - timezone.now()) < datetime.timedelta(seconds=10)
    assert body["lastUpdated"] == body["appliedDate"]
    assert stored.email == "john.doe@email.com"
    assert stored.applied_date == applied


def test_create_with_only_the_required_fields_takes_the_contracts_defaults(auth_client):
    body = {"firstName": "Test", "lastName": "User", "email": "test@example.com", "position": "Developer"}
    response = auth_client.post("/api/candidates", body)
    assert response.status_code == 201
    created = response.json()
    assert (created["phase"], created["status"], created["source"]) == (1, "New", "LinkedIn")
    for optional in ["phone", "skills", "experience", "notes", "resumeUrl", "linkedinUrl"]:
        assert created[optional] is None


def test_server_fields_sent_by_the_client_are_ignored(auth_client):
    sent = {**NEW_CANDIDATE, "id": 999, "appliedDate": "2001-01-01T00:00:00Z", "lastUpdated": "2001-01-01T00:00:00Z"}
    created = auth_client.post("/api/candidates", sent).json()
    assert created["id"] != 999
    assert not created["appliedDate"].startswith("2001")
    assert not Candidate.objects.filter(pk=999).exists()


@pytest.mark.parametrize("suffix", ["", "/"])
def test_urls_answer_with_and_without_trailing_slash(auth_client, suffix):
    created = auth_client.post(f"/api/candidates{suffix}", NEW_CANDIDATE)
    assert created.status_code == 201
    candidate_id = created.json()["id"]
    assert auth_client.get(f"/api/candidates{suffix}").status_code == 200
    assert auth_client.get(f"/api/candidates/{candidate_id}{suffix}").status_code == 200
    assert auth_client.put(f"/api/candidates/{candidate_id}{suffix}", {"notes": "x"}).status_code == 200
    assert auth_client.delete(f"/api/candidates/{candidate_id}{suffix}").status_code == 204


def test_get_one_returns_the_stored_candidate(auth_client):
    candidate = CandidateFactory(first_name="Sarah", last_name="Johnson", phone="+1 (555) 123-4567")
    response = auth_client.get(f"/api/candidates/{candidate.id}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["id"], body["firstName"], body["lastName"], body["phone"]) == (
        candidate.id, "Sarah", "Johnson", "+1 (555) 123-4567",
    )  # fmt: skip


def test_put_is_a_partial_update_that_writes_only_what_is_sent(auth_client):
    candidate = CandidateFactory(first_name="Sarah", notes="Strong React skills", status="New")
    response = auth_client.put(
        f"/api/candidates/{candidate.id}",
        {"status": "Phone Interview", "notes": "Updated notes after phone screening"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["firstName"], body["status"], body["notes"]) == (
        "Sarah", "Phone Interview", "Updated notes after phone screening",
    )  # fmt: skip
    candidate.refresh_from_db()
    assert (candidate.first_name, candidate.status) == ("Sarah", "Phone Interview")


def test_patch_works_like_put(auth_client):
    candidate = CandidateFactory(position="Developer")
    response = auth_client.patch(f"/api/candidates/{candidate.id}", {"position": "Lead Developer"})
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.position == "Lead Developer"


def test_last_updated_moves_on_a_change_and_applied_date_never(auth_client):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    candidate = CandidateFactory(applied_date=long_ago, last_updated=long_ago)
    body = auth_client.put(
        f"/api/candidates/{candidate.id}", {"status": "Screened", "appliedDate": "2030-01-01T00:00:00Z"}
    ).json()
    assert parse_datetime(body["appliedDate"]) == long_ago
    assert parse_datetime(body["lastUpdated"]) > long_ago + datetime.timedelta(days=29)
    candidate.refresh_from_db()
    assert candidate.applied_date == long_ago
    assert candidate.last_updated == parse_datetime(body["lastUpdated"])


def test_an_update_that_changes_nothing_leaves_last_updated_alone(auth_client):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    candidate = CandidateFactory(status="Screened", applied_date=long_ago, last_updated=long_ago)
    response = auth_client.put(f"/api/candidates/{candidate.id}", {"status": "screened"})
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.last_updated == long_ago


def test_two_stale_clients_changing_different_fields_both_keep_their_change(auth_client):
    candidate = CandidateFactory(status="New", notes=None)
    first = auth_client.put(f"/api/candidates/{candidate.id}", {"status": "Screened"})
    second = auth_client.put(f"/api/candidates/{candidate.id}", {"notes": "Great portfolio"})
    assert first.status_code == second.status_code == 200
    candidate.refresh_from_db()
    assert (candidate.status, candidate.notes) == ("Screened", "Great portfolio")
    assert second.json()["status"] == "Screened"


def test_delete_returns_204_with_an_empty_body_and_removes_the_interviews(auth_client):
    interview = InterviewFactory()
    other = InterviewFactory()
    response = auth_client.delete(f"/api/candidates/{interview.candidate_id}")
    assert response.status_code == 204
    assert response.content == b""
    assert not Candidate.objects.filter(pk=interview.candidate_id).exists()
    assert list(Interview.objects.all()) == [other]
    assert auth_client.get(f"/api/candidates/{interview.candidate_id}").status_code == 404
    assert auth_client.delete(f"/api/candidates/{interview.candidate_id}").status_code == 404


@pytest.mark.parametrize("time_zone", ["UTC", "America/New_York"])
def test_reads_give_exactly_the_serializers_representation(auth_client, settings, time_zone):
    """Lists and details skip the serializer for speed; what they return must not differ."""
    from candidates.serializers import CandidateSerializer
    from interviews.serializers import InterviewSerializer
    from recruitos.renderers import camelize

    settings.TIME_ZONE = time_zone
    interview = InterviewFactory(
        candidate=CandidateFactory(phone=None, experience=0, notes="n", linkedin_url="https://linkedin.com/in/x"),
        rating=4,
        status="Completed",
    )
    candidate = Candidate.objects.get()
    expected_candidate = camelize(CandidateSerializer(candidate).data)
    expected_interview = camelize(InterviewSerializer(interview).data)
    assert auth_client.get("/api/candidates").json() == [expected_candidate]
    assert auth_client.get(f"/api/candidates/{candidate.pk}").json() == expected_candidate
    assert auth_client.get("/api/interviews").json() == [expected_interview]
    assert auth_client.get(f"/api/interviews/{interview.pk}").json() == expected_interview


@pytest.mark.parametrize("time_zone", ["UTC", "America/New_York"])
def test_writes_answer_exactly_the_serializers_representation_of_what_is_stored(auth_client, settings, time_zone):
    from candidates.serializers import CandidateSerializer
    from interviews.serializers import InterviewSerializer
    from recruitos.renderers import camelize

    settings.TIME_ZONE = time_zone
    stored = lambda model, serializer, pk: camelize(serializer(model.objects.get(pk=pk)).data)  # noqa: E731
    created = auth_client.post("/api/candidates", {"firstName": " Ada ", "lastName": "L", "email": "Ada@Example.COM",
                                                   "position": "Dev", "experience": 0, "notes": ""})  # fmt: skip
    assert created.status_code == 201
    assert created.json() == stored(Candidate, CandidateSerializer, created.json()["id"])
    updated = auth_client.patch(f"/api/candidates/{created.json()['id']}", {"status": "screened", "phone": "+1 555"})
    assert updated.json() == stored(Candidate, CandidateSerializer, created.json()["id"])
    body = {"candidateId": created.json()["id"], "scheduledDate": "2031-03-04T15:00:00+02:00", "interviewer": "Jo"}
    booked = auth_client.post("/api/interviews", body)
    assert booked.json() == stored(Interview, InterviewSerializer, booked.json()["id"])
    moved = auth_client.put(f"/api/interviews/{booked.json()['id']}", {"status": "Completed", "rating": 5})
    assert moved.json() == stored(Interview, InterviewSerializer, booked.json()["id"])


def test_reading_one_candidate_takes_two_queries(auth_client, django_assert_num_queries):
    candidate = CandidateFactory()
    with django_assert_num_queries(2):  # the key, the row
        assert auth_client.get(f"/api/candidates/{candidate.pk}").status_code == 200
