"""Hostile and malformed input: always a 4xx JSON body, never a 5xx, and nothing stored."""

import json

import pytest
from django.db import OperationalError

from candidates.models import Candidate
from dashboard.models import Activity
from tests.factories import CandidateFactory

VALID = {"firstName": "Sarah", "lastName": "Johnson", "email": "sarah@example.com", "position": "Dev"}


def post_raw(client, body: bytes, content_type="application/json", **extra):
    return client.generic("POST", "/api/candidates", body, content_type=content_type, **extra)


def assert_refused(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    assert not Candidate.objects.exists()
    assert not Activity.objects.exists()


def test_a_body_over_the_limit_is_413(auth_client, settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = post_raw(auth_client, b'{"notes": "' + b"x" * 2000 + b'"}')
    assert_refused(response, 413)
    assert response.json() == {"detail": "The request body is larger than 1000 bytes."}


def test_a_body_longer_than_its_declared_length_is_cut_at_the_limit(auth_client, settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = post_raw(auth_client, b'{"notes": "' + b"x" * 2000 + b'"}', CONTENT_LENGTH="10")
    assert response.status_code == 400  # only the declared 10 bytes are read: malformed JSON
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"],
)
def test_other_content_types_are_415(auth_client, content_type):
    assert_refused(post_raw(auth_client, b"firstName=Sarah", content_type=content_type), 415)


@pytest.mark.parametrize(
    "body",
    [b"[]", b"[{}]", b"42", b'"string"', b"null", b"true", b"[" * 5000 + b"]" * 5000,
     b'{"a":' * 3000 + b"1" + b"}" * 3000, b"\xff\xfe\x00", b'{"firstName": "\xc3\x28"}', b"{\x00}"],
)  # fmt: skip
def test_bodies_that_are_not_a_json_object_are_400(auth_client, body):
    assert_refused(post_raw(auth_client, body), 400)


@pytest.mark.parametrize("field", ["firstName", "lastName", "position", "notes", "skills", "phone"])
def test_nul_characters_in_text_are_refused(auth_client, field):
    response = auth_client.post("/api/candidates", {**VALID, field: "a\x00b"}, format="json")
    assert_refused(response, 400)
    assert response.json()["errors"] == [{"field": field, "message": "Null characters are not allowed."}]


@pytest.mark.parametrize("query", ["search=a%00b", "interviewer=a%00b", "status=New%00"])
def test_nul_characters_in_query_parameters_are_refused(auth_client, query):
    url = "/api/interviews" if query.startswith("interviewer") else "/api/candidates"
    response = auth_client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"experience": 10**30}, "experience"), ({"experience": 2**63}, "experience"), ({"phase": 2**70}, "phase"),
     ({"experience": -(2**63)}, "experience"), ({"experience": float("inf")}, "body")],
)  # fmt: skip
def test_numbers_out_of_range_for_the_database_are_400(auth_client, changes, field):
    response = post_raw(auth_client, json.dumps({**VALID, **changes}).encode())
    assert_refused(response, 400)
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize("pk", ["99999999999999999999999999", "9223372036854775808", "-9223372036854775809", "1e99"])
@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_ids_out_of_range_in_urls_are_404(auth_client, pk, method):
    CandidateFactory()
    response = getattr(auth_client, method)(f"/api/candidates/{pk}", {}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Candidate not found"}


def test_a_ten_thousand_character_search_is_400(auth_client, db):
    response = auth_client.get("/api/candidates?search=" + "a" * 10_000)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "search"


@pytest.mark.parametrize(
    "text",
    ["Robert'); DROP TABLE candidates_candidate;--", "<script>alert('x')</script>", '" OR 1=1 --', "%_\\", "💥 Zoë"],
)
def test_sql_and_html_are_stored_verbatim_and_returned_as_strings(auth_client, text):
    body = {**VALID, "notes": text, "position": text[:200]}
    created = auth_client.post("/api/candidates", body, format="json").json()
    assert created["notes"] == text
    stored = Candidate.objects.get()
    assert (stored.notes, stored.position) == (text, text[:200])
    found = auth_client.get("/api/candidates", {"search": text[:50]}).json()
    assert [row["id"] for row in found] == [created["id"]]


def test_a_database_that_does_not_answer_is_a_json_503(auth_client, monkeypatch):
    from candidates import views

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(views.CandidateViewSet, "list", unreachable)
    response = auth_client.get("/api/candidates")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    assert response.json() == {"detail": "Service unavailable: the database is not answering. Try again shortly."}
