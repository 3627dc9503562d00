"""Every API endpoint needs `Authorization: Bearer <key>`; every failure is the same 401."""

import pytest

from accounts.models import ApiKey
from tests.factories import CandidateFactory, InterviewFactory, UserFactory, api_key_for

UNAUTHORIZED = {"detail": "Invalid or missing authentication token"}


@pytest.fixture
def endpoints(db):
    interview = InterviewFactory()
    candidate_id, interview_id = interview.candidate_id, interview.id
    return [
        ("get", "/api/candidates"),
        ("post", "/api/candidates"),
        ("get", f"/api/candidates/{candidate_id}"),
        ("put", f"/api/candidates/{candidate_id}"),
        ("patch", f"/api/candidates/{candidate_id}"),
        ("delete", f"/api/candidates/{candidate_id}"),
        ("get", "/api/interviews"),
        ("post", "/api/interviews"),
        ("get", f"/api/interviews/{interview_id}"),
        ("put", f"/api/interviews/{interview_id}"),
        ("delete", f"/api/interviews/{interview_id}"),
    ]


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Token abc",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "Bearer two words",
        "Bearer not-a-real-key",
        "bearerkey",
    ],
)
def test_every_endpoint_refuses_missing_malformed_or_unknown_keys(api_client, endpoints, header):
    if header is not None:
        api_client.credentials(HTTP_AUTHORIZATION=header)
    for method, url in endpoints:
        response = getattr(api_client, method)(url, {}, format="json")
        assert response.status_code == 401, (method, url)
        assert response.json() == UNAUTHORIZED
        assert response["WWW-Authenticate"] == "Bearer"
        assert response["Content-Type"] == "application/json"


def test_nothing_is_written_without_a_key(api_client, db):
    candidate = CandidateFactory(first_name="Sarah")
    api_client.post("/api/candidates", {"firstName": "X"}, format="json")
    api_client.put(f"/api/candidates/{candidate.id}", {"firstName": "Changed"}, format="json")
    api_client.delete(f"/api/candidates/{candidate.id}")
    candidate.refresh_from_db()
    assert candidate.first_name == "Sarah"


def test_a_valid_key_is_accepted_in_any_case_of_the_keyword(api_client, api_key):
    api_client.credentials(HTTP_AUTHORIZATION=f"bearer {api_key}")
    assert api_client.get("/api/candidates").status_code == 200


def test_a_deactivated_users_key_is_refused(api_client, db):
    user = UserFactory(username="gone", is_active=False)
    key = api_key_for(user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api_client.get("/api/candidates")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_a_revoked_key_stops_working_at_once(auth_client, api_key):
    assert auth_client.get("/api/candidates").status_code == 200
    ApiKey.objects.update(revoked=True)
    assert auth_client.get("/api/candidates").status_code == 401


@pytest.fixture
def fresh_counts(settings):
    settings.API_KEY_FAILURE_RATE = "5/minute"  # counts start at none (conftest)


def test_wrong_keys_from_one_address_are_throttled_and_nothing_else(api_client, api_key, fresh_counts, user):
    def get(key, address="10.0.0.1", **headers):
        return api_client.get("/api/candidates", HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR=address, **headers)

    for n in range(5):
        assert get(f"wrong.{n}").status_code == 401
    for n in range(5, 8):  # past the limit, each further wrong key waits
        response = get(f"wrong.{n}")
        assert response.status_code == 429
        assert response.json()["detail"].startswith("Request was throttled. Expected available in ")
        assert 0 < int(response["Retry-After"]) <= 60
    # A forged X-Forwarded-For is not another address without a proxy; another address is.
    assert get("wrong.8", HTTP_X_FORWARDED_FOR="192.0.2.7").status_code == 429
    assert get("wrong.9", address="10.0.0.2").status_code == 401
    # Nobody else at that address is refused for them: the right key, a session, a staging site's Basic.
    assert get(api_key).status_code == 200
    assert api_client.get("/api/candidates", REMOTE_ADDR="10.0.0.1").status_code == 401  # no credentials at all
    api_client.force_login(user)
    basic = api_client.get("/api/candidates", REMOTE_ADDR="10.0.0.1", HTTP_AUTHORIZATION="Basic c3RhZ2luZzpzZWNyZXQ=")
    assert basic.status_code == 200


def test_right_keys_are_never_counted(api_client, api_key, fresh_counts):
    for _ in range(20):
        response = api_client.get("/api/candidates", HTTP_AUTHORIZATION=f"Bearer {api_key}", REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 200
