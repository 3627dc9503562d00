"""Recruiters sign in at /accounts/login/; the API takes the session, and session writes only from this site."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.utils import timezone

from candidates.models import Candidate
from dashboard.models import Activity
from tests.factories import PASSWORD, CandidateFactory, UserFactory, api_key_for, person

NEW = {"firstName": "Sarah", "lastName": "Johnson", "email": "sarah@example.com", "position": "Developer"}
REFUSED = {
    "detail": "Cross-origin request refused: a signed-in session may only write from a page of this site. "
    "Programs send an API key instead."
}
ORIGIN = "http://testserver"


def signed_in(username: str, role: str | None = "Recruiter", **fields) -> Client:
    person(username, role, **fields)
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def test_the_sign_in_page_looks_like_the_back_office(client, db):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "RecruitOS back office" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "/static/admin/css/login.css" in html


@pytest.mark.parametrize("role", ["Recruiter", "Viewer"])
def test_anyone_with_a_role_signs_in_staff_or_not_and_lands_on_the_home_page(client, db, role):
    person("alice", role, first_name="Alice", last_name="Smith", email="alice@example.com")
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Signed in as <strong>alice</strong>" in client.get("/").content.decode()
    assert client.get("/api/me").json() == {
        "username": "alice", "firstName": "Alice", "lastName": "Smith", "email": "alice@example.com",
        "roles": [role], "isSuperuser": False,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("next_url", "lands"),
    [("/api/candidates", "/api/candidates"), ("https://evil.example/", "/"), ("//evil.example/x", "/")],
)
def test_next_is_followed_only_within_this_site(client, db, next_url, lands):
    person("alice")
    response = client.post(f"/accounts/login/?next={next_url}", {"username": "alice", "password": PASSWORD})
    assert response["Location"] == lands


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ({"role_name": None}, "This account has no role yet."),
        ({"is_active": False}, "Please enter a correct username and password."),
    ],
)
def test_no_role_or_inactive_means_no_session(client, db, who, message):
    person("alice", **({"role_name": "Recruiter"} | who))
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert client.get("/api/me").status_code == 401


def test_the_session_cookie_is_http_only_lax_and_rotated_at_sign_in(client, db):
    person("alice")
    client.get("/accounts/login/")
    client.session["before"] = 1  # a session that exists before signing in
    before = client.session.session_key
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 480 * 60
    assert cookie.value != before


@override_settings(SESSION_COOKIE_SECURE=True)
def test_the_session_cookie_is_secure_under_https(client, db):
    person("alice")
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}, secure=True)
    assert response.cookies["sessionid"]["secure"] is True


def test_signing_out_ends_the_session(db):
    client = signed_in("alice")
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/api/me").status_code == 401
    assert not Session.objects.exists()


def test_an_idle_session_ends_and_a_busy_one_is_renewed_about_once_a_minute(db, settings):
    client = signed_in("alice")
    session = Session.objects.get()
    idle = session.expire_date - timezone.now()
    assert 479 * 60 < idle.total_seconds() <= 480 * 60
    # Within the minute: no write.
    assert client.get("/api/me").status_code == 200
    assert Session.objects.get().expire_date == session.expire_date
    # A minute later: the expiry moves on.
    stored = client.session
    stored["seen"] = int(time.time()) - 61
    stored.save()
    Session.objects.update(expire_date=timezone.now() + timezone.timedelta(minutes=5))
    assert client.get("/api/me").status_code == 200
    renewed = Session.objects.get().expire_date - timezone.now()
    assert renewed.total_seconds() > 479 * 60
    # Idle past the limit: signed out.
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get("/api/me").status_code == 401
    assert client.get("/api/candidates").status_code == 401


def test_me_needs_a_session_or_a_key(api_client, db):
    response = api_client.get("/api/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or missing authentication token"}
    assert response["WWW-Authenticate"] == "Bearer"
    admin = UserFactory(username="root", first_name="", email="")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_for(admin)}")
    assert api_client.get("/api/me").json() == {
        "username": "root", "firstName": "", "lastName": "", "email": "", "roles": [], "isSuperuser": True,
    }  # fmt: skip


# The RecruitOS frontend's requests: `fetch` with credentials, JSON bodies, no token.
def send(client, method, url, body=None, **headers):
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    return getattr(client, method)(url, headers=headers, **kwargs)


SAME_ORIGIN = [
    {"sec_fetch_site": "same-origin", "origin": ORIGIN},
    {"origin": ORIGIN},
    {"sec_fetch_site": "same-origin"},
]
CROSS_ORIGIN = [
    {"sec_fetch_site": "same-site", "origin": "http://testserver:8001"},  # another port of this host
    {"sec_fetch_site": "cross-site", "origin": "https://evil.example"},
    {"sec_fetch_site": "cross-site"},
    {"sec_fetch_site": "none"},  # typed in the address bar: never a write
    {"origin": "https://evil.example"},
    {"origin": "null"},
    {"origin": "https://testserver"},  # another scheme
    {},  # neither header: not from a browser this check can trust
]


@pytest.mark.parametrize("headers", SAME_ORIGIN)
def test_session_writes_from_this_site_work_like_a_keys(db, headers):
    client = signed_in("alice")
    created = send(client, "post", "/api/candidates", NEW, **headers)
    assert created.status_code == 201, created.content
    url = f"/api/candidates/{created.json()['id']}"
    assert send(client, "put", url, {"status": "Screened"}, **headers).json()["status"] == "Screened"
    assert send(client, "patch", url, {"phase": 2}, **headers).json()["phase"] == 2
    assert send(client, "delete", url, **headers).status_code == 204
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("headers", CROSS_ORIGIN)
def test_session_writes_from_anywhere_else_are_refused_and_change_nothing(db, headers):
    client = signed_in("alice")
    candidate = CandidateFactory(first_name="Sarah")
    for method, url, body in [
        ("post", "/api/candidates", NEW),
        ("put", f"/api/candidates/{candidate.pk}", {"firstName": "Mallory"}),
        ("patch", f"/api/candidates/{candidate.pk}", {"firstName": "Mallory"}),
        ("delete", f"/api/candidates/{candidate.pk}", None),
        ("post", "/api/interviews", {"candidateId": candidate.pk, "type": "Technical",
                                     "scheduledDate": "2031-03-04T15:00:00Z", "interviewer": "Jane"}),
    ]:  # fmt: skip
        response = send(client, method, url, body, **headers)
        assert response.status_code == 403, (method, url, headers)
        assert response.json() == REFUSED
    candidate.refresh_from_db()
    assert candidate.first_name == "Sarah"
    assert Candidate.objects.count() == 1
    assert not candidate.interviews.exists()
    # Reading is not a write: it works from anywhere the cookie travels (CORS keeps others from reading it).
    assert send(client, "get", "/api/candidates", **headers).status_code == 200


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
@pytest.mark.parametrize("site", ["same-site", "cross-site", None])
def test_a_frontend_origin_listed_in_cors_allowed_origins_may_write(db, site):
    client = signed_in("alice")
    headers = {"origin": "https://app.example.com"} | ({"sec_fetch_site": site} if site else {})
    assert send(client, "post", "/api/candidates", NEW, **headers).status_code == 201
    unlisted = {"origin": "https://other.example.com"} | ({"sec_fetch_site": site} if site else {})
    assert send(client, "post", "/api/candidates", NEW | {"email": "x@example.com"}, **unlisted).status_code == 403


def test_keys_need_no_origin_and_a_key_sent_decides(db):
    client = signed_in("alice")
    key = api_key_for(UserFactory(username="bot"))
    response = send(client, "post", "/api/candidates", NEW, authorization=f"Bearer {key}", sec_fetch_site="cross-site")
    assert response.status_code == 201
    bad = send(client, "get", "/api/candidates", authorization="Bearer wrong.key")
    assert bad.status_code == 401


def test_a_viewers_session_reads_but_cannot_write(db):
    client = signed_in("victor", role="Viewer")
    CandidateFactory()
    assert send(client, "get", "/api/candidates").status_code == 200
    assert send(client, "get", "/api/dashboard/stats").status_code == 200
    response = send(client, "post", "/api/candidates", NEW, sec_fetch_site="same-origin")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}
    assert Candidate.objects.count() == 1


def test_the_activity_feed_names_who_made_a_session_write(db):
    client = signed_in("alice")
    created = send(client, "post", "/api/candidates", NEW, sec_fetch_site="same-origin")
    assert created.status_code == 201
    entry = Activity.objects.get(candidate_id=created.json()["id"])
    assert entry.actor.username == "alice"


def test_the_admin_and_the_sign_in_form_keep_djangos_csrf_token(db):
    person("alice")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}, headers={"origin": ORIGIN})
    assert response.status_code == 403
    page = client.get("/accounts/login/")
    token = page.context["csrf_token"]
    form = {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token}
    assert client.post("/accounts/login/", form).status_code == 302
