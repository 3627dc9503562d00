"""Error bodies in the contract's shapes, whatever goes wrong and whatever DEBUG says."""

import logging

import pytest

from candidates import views as candidate_views
from candidates.models import Candidate
from imports.models import ImportJob
from tests.factories import CandidateFactory, InterviewFactory
from webhooks.models import Subscription


@pytest.mark.parametrize("path", ["/api/nothing", "/api/candidates/1/extra", "/api", "/api/"])
@pytest.mark.parametrize("debug", [False, True])
def test_unknown_routes_under_api_are_json_404(auth_client, settings, path, debug):
    settings.DEBUG = debug
    response = auth_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/candidates/999", "Candidate not found"),
        ("/api/candidates/abc", "Candidate not found"),
        ("/api/candidates/99999999999999999999999", "Candidate not found"),
        ("/api/interviews/999", "Interview not found"),
        ("/api/interviews/-1", "Interview not found"),
    ],
)
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_unknown_ids_are_404_with_the_models_name(auth_client, url, message, method):
    response = getattr(auth_client, method)(url, {}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": message}


@pytest.mark.parametrize("debug", [False, True])
def test_unexpected_errors_are_json_500_and_logged_with_traceback(auth_client, monkeypatch, settings, caplog, debug):
    settings.DEBUG = debug

    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(candidate_views.CandidateViewSet, "create_service", staticmethod(broken))
    body = {"firstName": "A", "lastName": "B", "email": "a@example.com", "position": "Dev"}
    with caplog.at_level(logging.ERROR, logger="recruitos.api"):
        response = auth_client.post("/api/candidates", body, format="json")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Internal server error"}
    assert "disk on fire" in caplog.text
    assert "Traceback" in caplog.text
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"{bad", b'{"firstName": "A",}', b"\xff\xfe", b"NaN", b"[" * 2000 + b"]" * 2000],
)
def test_malformed_json_is_a_validation_error_on_the_body(auth_client, body):
    response = auth_client.generic("POST", "/api/candidates", body, content_type="application/json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["detail"] == "Validation error"
    assert [error["field"] for error in payload["errors"]] == ["body"]
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("body", [b"[]", b'["a"]', b'"text"', b"42", b"null", b"true"])
def test_a_body_that_is_not_an_object_is_refused(auth_client, body):
    response = auth_client.generic("POST", "/api/candidates", body, content_type="application/json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["detail"] == "Validation error"
    assert [error["field"] for error in payload["errors"]] == ["body"]


def test_empty_body_names_each_required_field(auth_client):
    response = auth_client.generic("POST", "/api/candidates", b"", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Validation error",
        "errors": [
            {"field": "firstName", "message": "This field is required."},
            {"field": "lastName", "message": "This field is required."},
            {"field": "email", "message": "This field is required."},
            {"field": "position", "message": "This field is required."},
        ],
    }


def test_other_content_types_are_415(auth_client):
    response = auth_client.generic("POST", "/api/candidates", b"firstName=A", content_type="text/plain")
    assert response.status_code == 415
    assert response["Content-Type"] == "application/json"


def test_methods_the_contract_does_not_have_are_405(auth_client):
    response = auth_client.delete("/api/candidates")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "post"])
@pytest.mark.parametrize("path", ["/api/candidates/0.5", "/api/interviews/1.0", "/api/nothing/here"])
def test_odd_ids_and_unknown_paths_are_json_404_for_every_method(auth_client, method, path):
    response = getattr(auth_client, method)(path, {}, format="json")
    assert response.status_code in (404, 405)
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "spelling",
    # what Python's int() takes for 10: an underscore, spaces, a sign, the digits of other scripts
    ["1_0", "%2010", "10%20", "+10", "%EF%BC%91%EF%BC%90", "%D9%A1%D9%A0", "%E0%A5%A7%E0%A5%A6"],
)
@pytest.mark.parametrize("prefix", ["/api/candidates/", "/api/interviews/", "/api/webhooks/", "/api/imports/"])
def test_only_ascii_digits_are_ids(auth_client, spelling, prefix):
    InterviewFactory(id=10, candidate=CandidateFactory(id=10))
    Subscription.objects.create(id=10, url="https://93.184.216.34/hooks", events=["candidate.created"])
    ImportJob.objects.create(id=10, file_name="people.csv")
    assert auth_client.get(f"{prefix}10").status_code == 200  # the id itself is found
    response = auth_client.get(f"{prefix}{spelling}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert auth_client.get(f"/api/candidates/{spelling}/history").status_code == 404
