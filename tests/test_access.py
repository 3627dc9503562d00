"""Who gets in: every route the router knows needs a key; the admin needs staff, CSRF and no framing."""

from django.test import Client
from django.urls import get_resolver

from recruitos.urls import router
from tests.factories import CandidateFactory, UserFactory

PUBLIC = {"/api/health", "/api/schema", "/api/docs"}


def router_urls(candidate_id: int) -> list[str]:
    urls = []
    for pattern in router.urls:
        route = str(pattern.pattern).strip("^$").replace("/?", "")
        urls.append("/api/" + route.replace("(?P<pk>[^/]+)", str(candidate_id)))
    return urls


def test_every_route_the_router_knows_refuses_requests_without_a_key(api_client, db):
    candidate = CandidateFactory()
    urls = router_urls(candidate.pk)
    assert set(urls) == {"/api/candidates", f"/api/candidates/{candidate.pk}", "/api/interviews",
                         f"/api/interviews/{candidate.pk}", "/api/activity", "/api/interviews/availability",
                         "/api/imports", f"/api/imports/{candidate.pk}", "/api/webhooks", f"/api/webhooks/{candidate.pk}"}  # fmt: skip
    calendars = ["/api/interviews.ics", f"/api/interviews/{candidate.pk}.ics", "/api/calendar-feed"]
    histories = [f"/api/candidates/{candidate.pk}/history", f"/api/interviews/{candidate.pk}/history"]
    for url in [*urls, "/api/dashboard/stats", *calendars, "/api/reports/pipeline", *histories]:
        for method in ["get", "post", "put", "patch", "delete"]:
            response = getattr(api_client, method)(url, {}, format="json")
            assert response.status_code == 401, (method, url, response.status_code)


def test_only_health_schema_and_docs_answer_without_a_key(api_client, db):
    api_patterns = [str(p.pattern) for p in get_resolver().url_patterns if "api" in str(p.pattern)]
    # me, health, schema, docs, stats, two calendars, the feed's address and the feed, the pipeline report,
    # two histories, the router, the JSON 404
    assert len(api_patterns) == 14
    for url in PUBLIC:
        assert api_client.get(url).status_code == 200, url
    # The feed answers without a key only to its secret (tests/interviews/test_calendars.py).
    assert api_client.get("/api/calendar-feed.ics").status_code == 404


def test_the_admin_refuses_posts_without_a_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="admin"))
    form = {"first_name": "A", "last_name": "B", "email": "a@example.com", "position": "Dev", "phase": "1",
            "status": "New", "source": "LinkedIn", "interviews-TOTAL_FORMS": "0", "interviews-INITIAL_FORMS": "0"}  # fmt: skip
    response = client.post("/admin/candidates/candidate/add/", form)
    assert response.status_code == 403
    page = client.get("/admin/candidates/candidate/add/")
    form["csrfmiddlewaretoken"] = page.context["csrf_token"]
    assert client.post("/admin/candidates/candidate/add/", form).status_code == 302


def test_the_admin_may_not_be_framed(client, db):
    assert client.get("/admin/login/")["X-Frame-Options"] == "DENY"


def test_the_admin_refuses_users_who_are_not_staff(db):
    client = Client()
    client.force_login(UserFactory(username="someone", is_staff=False, is_superuser=False))
    response = client.get("/admin/candidates/candidate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_keys_never_appear_in_error_bodies(api_client, api_key, db):
    for header in [f"Bearer {api_key}x", f"Token {api_key}", f"Bearer {api_key} extra"]:
        api_client.credentials(HTTP_AUTHORIZATION=header)
        response = api_client.get("/api/candidates")
        assert response.status_code == 401
        assert api_key not in response.content.decode()
