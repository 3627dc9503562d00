"""`GET /api/candidates/{id}/history` and `/api/interviews/{id}/history`, and the admin's change pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import CandidateFactory, InterviewFactory, api_key_for, person


@pytest.fixture
def ada(auth_client):
    """Created, then moved twice, through the API."""
    pk = auth_client.post("/api/candidates", {"firstName": "Ada", "lastName": "L", "email": "ada@example.com",
                                              "position": "Dev"}).json()["id"]  # fmt: skip
    auth_client.put(f"/api/candidates/{pk}", {"status": "Screened"})
    auth_client.put(f"/api/candidates/{pk}", {"status": "Phone Interview", "resumeUrl": "https://cv.example/ada"})
    return pk


def test_newest_first_with_the_api_field_names_and_a_total(auth_client, user, ada):
    response = auth_client.get(f"/api/candidates/{ada}/history?limit=2")
    assert response.status_code == 200
    assert response["X-Total-Count"] == "3"
    body = response.json()
    assert [item["action"] for item in body] == ["updated", "updated"]
    assert {key: value for key, value in body[0].items() if key != "at"} == {
        "actor": user.username,
        "via": "api",
        "action": "updated",
        "changes": {
            "status": {"from": "Screened", "to": "Phone Interview"},
            "resumeUrl": {"from": None, "to": "https://cv.example/ada"},
        },
    }
    assert body[0]["at"] >= body[1]["at"]
    oldest = auth_client.get(f"/api/candidates/{ada}/history?offset=2").json()
    assert [item["action"] for item in oldest] == ["created"]
    assert oldest[0]["changes"]["firstName"] == {"from": None, "to": "Ada"}


def test_history_outlives_deletion_without_the_persons_values(auth_client, ada):
    assert auth_client.delete(f"/api/candidates/{ada}").status_code == 204
    assert auth_client.get(f"/api/candidates/{ada}").status_code == 404
    response = auth_client.get(f"/api/candidates/{ada}/history")
    assert response.status_code == 200
    assert response["X-Total-Count"] == "4"
    assert [item["action"] for item in response.json()] == ["deleted", "updated", "updated", "created"]
    assert "Ada" not in response.content.decode()
    assert response.json()[1]["changes"]["resumeUrl"] == {"from": None, "to": None}


def test_an_interviews_history(auth_client):
    interview = InterviewFactory()
    auth_client.put(f"/api/interviews/{interview.pk}", {"status": "Completed", "rating": 4})
    response = auth_client.get(f"/api/interviews/{interview.pk}/history")
    assert response.status_code == 200
    assert response["X-Total-Count"] == "1"  # the factory wrote it directly: no record of its creation
    assert response.json()[0]["changes"] == {
        "status": {"from": "Scheduled", "to": "Completed"},
        "rating": {"from": None, "to": 4},
    }


def test_a_row_from_before_the_history_has_an_empty_one_and_an_unknown_id_is_404(auth_client, db):
    candidate = CandidateFactory()
    response = auth_client.get(f"/api/candidates/{candidate.pk}/history")
    assert (response.status_code, response.json(), response["X-Total-Count"]) == (200, [], "0")
    for bad in ["999999", "abc", "0", "-1", "99999999999999999999", "1.5"]:
        response = auth_client.get(f"/api/candidates/{bad}/history")
        assert (response.status_code, response.json()) == (404, {"detail": "Candidate not found"}), bad
    assert auth_client.get("/api/interviews/999999/history").json() == {"detail": "Interview not found"}


@pytest.mark.parametrize(("query", "field"), [("limit=0", "limit"), ("limit=101", "limit"), ("offset=-1", "offset")])
def test_bad_paging_is_a_400_naming_the_parameter(auth_client, ada, query, field):
    response = auth_client.get(f"/api/candidates/{ada}/history?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_reading_needs_the_permission_to_view(api_client, ada):
    nobody = person("nobody", role_name=None)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_for(nobody)}")
    assert api_client.get(f"/api/candidates/{ada}/history").status_code == 403
    assert api_client.get(f"/api/interviews/{ada}/history").status_code == 403
    assert APIClient().get(f"/api/candidates/{ada}/history").status_code == 401


def test_a_page_costs_the_same_queries_however_many_records(auth_client, ada):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert auth_client.get(f"/api/candidates/{ada}/history").status_code == 200
        return len(captured)

    before = queries()
    for status in ["Screened", "New", "Screened", "New"]:
        auth_client.put(f"/api/candidates/{ada}", {"status": status})
    assert queries() == before


def test_the_admin_change_page_shows_the_history(admin_client, auth_client, ada):
    page = admin_client.get(f"/admin/candidates/candidate/{ada}/change/").content.decode()
    assert 'class="change-history"' in page
    assert "Screened → Phone Interview" in page
    assert "resumeUrl" in page
    interview = InterviewFactory(candidate_id=ada)
    auth_client.put(f"/api/interviews/{interview.pk}", {"duration": 90})
    page = admin_client.get(f"/admin/interviews/interview/{interview.pk}/change/").content.decode()
    assert "60 → 90" in page
