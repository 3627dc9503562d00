"""The OpenAPI schema describes the wire format as it is, and is public."""

import io
import json

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_validates_without_warnings(db):
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("url", ["/api/schema/", "/api/schema", "/api/docs/", "/api/docs"])
def test_schema_and_docs_are_public(api_client, db, url):
    response = api_client.get(url)
    assert response.status_code == 200


def test_the_docs_serve_their_own_assets(api_client, db):
    page = api_client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()


def test_paths_are_the_contracts(schema):
    assert sorted(schema["paths"]) == [
        "/api/activity", "/api/calendar-feed", "/api/calendar-feed.ics", "/api/candidates", "/api/candidates/{id}",
        "/api/candidates/{id}/history", "/api/dashboard/stats", "/api/health", "/api/imports", "/api/imports/{id}",
        "/api/interviews", "/api/interviews.ics", "/api/interviews/availability", "/api/interviews/{id}",
        "/api/interviews/{id}.ics", "/api/interviews/{id}/history", "/api/me", "/api/reports/pipeline",
        "/api/webhooks", "/api/webhooks/{id}",
    ]  # fmt: skip


def test_properties_and_query_parameters_are_camel_case(schema):
    candidate = schema["components"]["schemas"]["Candidate"]["properties"]
    assert list(candidate) == [
        "id", "firstName", "lastName", "email", "phone", "position", "phase", "status", "source", "appliedDate",
        "lastUpdated", "skills", "experience", "notes", "resumeUrl", "linkedinUrl",
    ]  # fmt: skip
    interview_params = [p["name"] for p in schema["paths"]["/api/interviews"]["get"]["parameters"]]
    assert interview_params == ["candidateId", "date", "interviewer", "limit", "offset", "ordering", "status"]
    ordering = next(p for p in schema["paths"]["/api/interviews"]["get"]["parameters"] if p["name"] == "ordering")
    assert ordering["schema"]["items"]["enum"] == ["-scheduledDate", "scheduledDate"]
    stats = schema["components"]["schemas"]["DashboardStats"]["properties"]
    assert list(stats) == [
        "totalCandidates", "phase1Count", "phase2Count", "hiredCount", "interviewsToday", "syncStatus", "lastSync",
    ]  # fmt: skip


def test_lists_are_plain_arrays_with_a_total_header(schema):
    listing = schema["paths"]["/api/candidates"]["get"]["responses"]["200"]
    assert listing["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PaginatedCandidateList"}
    assert schema["components"]["schemas"]["PaginatedCandidateList"] == {
        "type": "array", "items": {"$ref": "#/components/schemas/Candidate"},
    }  # fmt: skip
    assert listing["headers"]["X-Total-Count"]["schema"] == {"type": "integer"}
    activity = schema["paths"]["/api/activity"]["get"]["responses"]["200"]
    assert "headers" not in activity


def test_a_key_or_a_session_guards_everything_but_health(schema):
    assert schema["components"]["securitySchemes"] == {
        "tokenAuth": {"type": "http", "scheme": "bearer"},
        "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            public = path in ("/api/health", "/api/calendar-feed.ics")  # the feed: its secret is the token
            expected = [] if public else [{"tokenAuth": []}, {"cookieAuth": []}]
            assert operation.get("security", []) == expected, (method, path)


def test_error_bodies_are_documented(schema):
    create = schema["paths"]["/api/candidates"]["post"]["responses"]
    one = schema["paths"]["/api/candidates/{id}"]["get"]["responses"]
    ref = lambda response: response["content"]["application/json"]["schema"]["$ref"]  # noqa: E731
    assert ref(create["400"]) == "#/components/schemas/ValidationError"
    assert ref(create["401"]) == "#/components/schemas/Error"
    assert ref(one["404"]) == "#/components/schemas/Error"
    assert "404" not in schema["paths"]["/api/candidates"]["get"]["responses"]
    errors = schema["components"]["schemas"]["ValidationError"]["properties"]
    assert set(errors) == {"detail", "errors"}


def test_enumerations_are_listed(schema):
    components = schema["components"]["schemas"]
    assert components["CandidateStatus"]["enum"] == [
        "New", "Screened", "Phone Interview", "Rejected", "Technical Interview", "Final Interview", "Offer Extended",
        "Hired",
    ]  # fmt: skip
    assert components["SourceEnum"]["enum"] == ["LinkedIn", "Indeed", "Referral", "Website"]
    assert components["InterviewTypeEnum"]["enum"] == ["Phone", "Video", "In-Person", "Technical"]
    assert components["InterviewStatus"]["enum"] == ["Scheduled", "Completed", "Cancelled"]
    assert components["SyncStatus"]["enum"] == ["syncing", "synced", "error"]
    assert components["PhaseEnum"]["enum"] == [1, 2]


@pytest.mark.parametrize(
    ("query", "accept", "kind"),
    [("", None, "yaml"), ("?format=json", None, "json"), ("?format=yaml", None, "yaml"),
     ("", "application/json", "json"), ("?format=openapi-json", None, None)],
)  # fmt: skip
def test_the_schema_comes_as_yaml_or_json_as_asked(api_client, db, query, accept, kind):
    headers = {"accept": accept} if accept else {}
    response = api_client.get(f"/api/schema/{query}", headers=headers)
    if kind is None:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    text = response.content.decode()
    if kind == "json":
        assert response["Content-Type"].split(";")[0] in ("application/vnd.oai.openapi+json", "application/json")
        assert json.loads(text)["openapi"].startswith("3.")
    else:
        assert response["Content-Type"].startswith("application/vnd.oai.openapi")
        assert text.startswith("openapi: 3.")
