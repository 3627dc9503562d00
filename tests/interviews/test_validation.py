"""Interview input rules: one error entry per problem, camelCase field names, nothing stored."""

import pytest

from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory


@pytest.fixture
def valid(db):
    candidate = CandidateFactory()
    return {"candidateId": candidate.id, "scheduledDate": "2031-03-04T10:00:00Z", "interviewer": "Jane Doe"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"candidateId": 999999}, [{"field": "candidateId", "message": "Candidate 999999 not found."}]),
        ({"candidateId": "abc"}, [{"field": "candidateId", "message": "A candidate id is an integer."}]),
        ({"candidateId": None}, [{"field": "candidateId", "message": "This field may not be null."}]),
        ({"candidateId": 2**63 + 5}, [{"field": "candidateId", "message": "Candidate 9223372036854775813 not found."}]),
        ({"type": "Carrier pigeon"}, [{"field": "type", "message": '"Carrier pigeon" is not a valid choice.'}]),
        ({"status": "Postponed"}, [{"field": "status", "message": '"Postponed" is not a valid choice.'}]),
        ({"duration": 0}, [{"field": "duration", "message": "Ensure this value is greater than or equal to 1."}]),
        ({"duration": 1441}, [{"field": "duration", "message": "Ensure this value is less than or equal to 1440."}]),
        ({"duration": 30.5}, [{"field": "duration", "message": "A valid integer is required."}]),
        ({"rating": 0}, [{"field": "rating", "message": "Ensure this value is greater than or equal to 1."}]),
        ({"rating": 6}, [{"field": "rating", "message": "Ensure this value is less than or equal to 5."}]),
        ({"interviewer": "  "}, [{"field": "interviewer", "message": "This field may not be blank."}]),
        ({"interviewer": "x" * 201}, [{"field": "interviewer", "message": "Ensure this field has no more than 200 characters."}]),
        ({"scheduledDate": "03/04/2031"}, [{"field": "scheduledDate", "message": "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."}]),
    ],
)  # fmt: skip
def test_invalid_fields_are_named_with_a_readable_message(auth_client, valid, changes, expected):
    response = auth_client.post("/api/interviews", {**valid, **changes})
    assert response.status_code == 400
    assert response.json() == {"detail": "Validation error", "errors": expected}
    assert not Interview.objects.exists()


def test_required_fields(auth_client, db):
    response = auth_client.post("/api/interviews", {})
    assert response.json()["errors"] == [
        {"field": "candidateId", "message": "This field is required."},
        {"field": "scheduledDate", "message": "This field is required."},
        {"field": "interviewer", "message": "This field is required."},
    ]


def test_choices_match_ignoring_case(auth_client, valid):
    created = auth_client.post("/api/interviews", {**valid, "type": "in-person", "status": "COMPLETED"}).json()
    assert (created["type"], created["status"]) == ("In-Person", "Completed")


def test_rating_can_be_cleared(auth_client):
    interview = InterviewFactory(rating=4)
    assert auth_client.put(f"/api/interviews/{interview.id}", {"rating": None}).json()["rating"] is None
    interview.refresh_from_db()
    assert interview.rating is None
