"""Candidate input rules: one error entry per problem, camelCase field names, nothing stored."""

import pytest

from candidates.models import Candidate
from tests.factories import CandidateFactory

VALID = {"firstName": "Sarah", "lastName": "Johnson", "email": "sarah@example.com", "position": "Developer"}


def errors_of(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "Validation error"
    return body["errors"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"firstName": ""}, [{"field": "firstName", "message": "This field may not be blank."}]),
        ({"lastName": "   "}, [{"field": "lastName", "message": "This field may not be blank."}]),
        ({"position": None}, [{"field": "position", "message": "This field may not be null."}]),
        ({"email": "not-an-email"}, [{"field": "email", "message": "Enter a valid email address."}]),
        ({"phase": 3}, [{"field": "phase", "message": '"3" is not a valid choice.'}]),
        ({"phase": "two"}, [{"field": "phase", "message": '"two" is not a valid choice.'}]),
        ({"status": "Ghosted"}, [{"field": "status", "message": '"Ghosted" is not a valid choice.'}]),
        ({"source": "Monster"}, [{"field": "source", "message": '"Monster" is not a valid choice.'}]),
        ({"experience": -1}, [{"field": "experience", "message": "Ensure this value is greater than or equal to 0."}]),
        ({"experience": 101}, [{"field": "experience", "message": "Ensure this value is less than or equal to 100."}]),
        ({"experience": 2.5}, [{"field": "experience", "message": "A valid integer is required."}]),
        ({"experience": 10**30}, [{"field": "experience", "message": "A valid integer is required."}]),
        ({"resumeUrl": "not a url"}, [{"field": "resumeUrl", "message": "Enter a valid URL."}]),
        ({"linkedinUrl": "javascript:alert(1)"}, [{"field": "linkedinUrl", "message": "Enter a valid URL."}]),
        ({"firstName": "x" * 101}, [{"field": "firstName", "message": "Ensure this field has no more than 100 characters."}]),
        ({"phone": "1" * 21}, [{"field": "phone", "message": "Ensure this field has no more than 20 characters."}]),
        ({"position": "p" * 201}, [{"field": "position", "message": "Ensure this field has no more than 200 characters."}]),
        ({"email": "a" * 250 + "@x.com"}, [{"field": "email", "message": "Ensure this field has no more than 255 characters."}]),
    ],
)  # fmt: skip
def test_invalid_fields_are_named_with_a_readable_message(auth_client, changes, expected):
    assert errors_of(auth_client.post("/api/candidates", {**VALID, **changes})) == expected
    assert not Candidate.objects.exists()


def test_every_problem_is_reported_at_once(auth_client):
    body = {"firstName": "", "email": "nope", "phase": 0, "resumeUrl": "x"}
    assert [error["field"] for error in errors_of(auth_client.post("/api/candidates", body))] == [
        "firstName", "lastName", "email", "position", "phase", "resumeUrl",
    ]  # fmt: skip


@pytest.mark.parametrize("email", ["sarah@example.com", "SARAH@Example.COM", "  sarah@example.com  "])
def test_email_is_unique_ignoring_case(auth_client, email):
    CandidateFactory(email="Sarah@example.com")
    errors = errors_of(auth_client.post("/api/candidates", {**VALID, "email": email}))
    assert errors == [{"field": "email", "message": "A candidate with this email already exists."}]
    assert Candidate.objects.count() == 1


def test_changing_email_to_another_candidates_is_refused_but_keeping_ones_own_is_fine(auth_client):
    CandidateFactory(email="taken@example.com")
    mine = CandidateFactory(email="mine@example.com")
    errors = errors_of(auth_client.put(f"/api/candidates/{mine.id}", {"email": "TAKEN@example.com"}))
    assert errors == [{"field": "email", "message": "A candidate with this email already exists."}]
    response = auth_client.put(f"/api/candidates/{mine.id}", {"email": "MINE@example.com"})
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.email == "MINE@example.com"


@pytest.mark.parametrize("field", ["firstName", "lastName", "email", "position", "phase", "status", "source"])
def test_explicit_null_on_put_is_refused_for_required_fields(auth_client, field):
    candidate = CandidateFactory()
    errors = errors_of(auth_client.put(f"/api/candidates/{candidate.id}", {field: None}))
    assert errors == [{"field": field, "message": "This field may not be null."}]


def test_choices_match_ignoring_case_and_are_stored_in_canonical_spelling(auth_client):
    body = {**VALID, "source": "indeed", "status": "PHONE INTERVIEW", "phase": "2"}
    created = auth_client.post("/api/candidates", body).json()
    assert (created["source"], created["status"], created["phase"]) == ("Indeed", "Phone Interview", 2)
    stored = Candidate.objects.get()
    assert (stored.source, stored.status, stored.phase) == ("Indeed", "Phone Interview", 2)


def test_phase_and_status_need_not_agree(auth_client):
    created = auth_client.post("/api/candidates", {**VALID, "phase": 2, "status": "Rejected"})
    assert created.status_code == 201


def test_surrounding_whitespace_is_trimmed(auth_client):
    body = {**VALID, "firstName": "  Sarah ", "email": " sarah@example.com ", "notes": "  hi  "}
    created = auth_client.post("/api/candidates", body).json()
    assert (created["firstName"], created["email"], created["notes"]) == ("Sarah", "sarah@example.com", "hi")


def test_the_frontends_untouched_inputs_are_accepted(auth_client):
    body = {**VALID, "phone": "", "skills": "", "notes": "", "experience": 0, "resumeUrl": "", "linkedinUrl": ""}
    response = auth_client.post("/api/candidates", body)
    assert response.status_code == 201
    created = response.json()
    assert created["experience"] == 0
    for blank in ["phone", "skills", "notes", "resumeUrl", "linkedinUrl"]:
        assert created[blank] is None
    stored = Candidate.objects.get()
    assert (stored.phone, stored.experience) == (None, 0)


def test_optional_fields_can_be_cleared_on_put(auth_client):
    candidate = CandidateFactory(phone="+1 555", experience=4, notes="x")
    response = auth_client.put(f"/api/candidates/{candidate.id}", {"phone": "", "experience": None, "notes": None})
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert (candidate.phone, candidate.experience, candidate.notes) == (None, None, None)


def test_a_failed_update_writes_nothing(auth_client):
    candidate = CandidateFactory(first_name="Sarah", status="New")
    errors_of(auth_client.put(f"/api/candidates/{candidate.id}", {"status": "Screened", "email": "bad"}))
    candidate.refresh_from_db()
    assert (candidate.first_name, candidate.status) == ("Sarah", "New")


def test_unknown_fields_are_ignored(auth_client):
    response = auth_client.post("/api/candidates", {**VALID, "favouriteColour": "blue"})
    assert response.status_code == 201
    assert "favouriteColour" not in response.json()


def test_each_request_validates_with_its_own_fields(auth_client):
    """The serializer's fields are built once per class and copied: one request's errors stay its own."""
    bad = auth_client.post("/api/candidates", {"firstName": "", "lastName": "L", "email": "bad", "position": "P"},
                           format="json")  # fmt: skip
    assert sorted(error["field"] for error in bad.json()["errors"]) == ["email", "firstName"]
    good = auth_client.post("/api/candidates", {"firstName": "F", "lastName": "L", "email": "f@l.com", "position": "P"},
                            format="json")  # fmt: skip
    assert good.status_code == 201, good.content
    assert Candidate.objects.get().email == "f@l.com"
