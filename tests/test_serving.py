"""Running for real: CORS for the frontend, health for load balancers, throttling, logs, deploy checks."""

import json
import logging
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError
from django.utils.module_loading import import_string

FRONTEND = "https://app.example.com"


@pytest.fixture
def frontend_allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONTEND]


def test_a_preflight_from_an_allowed_origin_may_send_the_key(api_client, frontend_allowed):
    response = api_client.options(
        "/api/candidates",
        HTTP_ORIGIN=FRONTEND,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_the_total_header_is_exposed_to_the_frontend(auth_client, frontend_allowed):
    response = auth_client.get("/api/candidates", HTTP_ORIGIN=FRONTEND)
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert "X-Total-Count" in response["Access-Control-Expose-Headers"]


def test_a_listed_frontend_may_read_with_its_session(client, frontend_allowed, user):
    """A frontend served elsewhere fetches with `credentials: "include"`: the browser shows it the answer only with this."""
    client.force_login(user)
    response = client.get("/api/candidates", HTTP_ORIGIN=FRONTEND)
    assert response.status_code == 200
    assert (response["Access-Control-Allow-Origin"], response["Access-Control-Allow-Credentials"]) == (FRONTEND, "true")
    preflight = client.options("/api/candidates", HTTP_ORIGIN=FRONTEND, HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH")
    assert preflight["Access-Control-Allow-Credentials"] == "true"


def test_other_origins_get_no_cors_headers(auth_client, frontend_allowed):
    response = auth_client.get("/api/candidates", HTTP_ORIGIN="https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response


def test_no_origin_is_allowed_by_default(auth_client):
    assert settings.CORS_ALLOWED_ORIGINS == []
    assert "Access-Control-Allow-Origin" not in auth_client.get("/api/candidates", HTTP_ORIGIN=FRONTEND)


@pytest.mark.parametrize("url", ["/api/health", "/api/health/"])
def test_health_answers_without_a_key(api_client, db, url):
    response = api_client.get(url)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_says_503_when_the_database_does_not_answer(api_client, db, monkeypatch):
    from recruitos import views

    class DeadConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", DeadConnection())
    response = api_client.get("/api/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}


def throttled_requests(client, rate, settings):
    settings.API_THROTTLE_RATE = rate
    return [client.get("/api/candidates") for _ in range(4)]


def test_throttling_per_key_in_local_memory(auth_client, settings):
    cache.clear()
    *allowed, refused = throttled_requests(auth_client, "3/minute", settings)
    assert [r.status_code for r in allowed] == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Request was throttled.")
    assert 0 < int(refused["Retry-After"]) <= 60


def test_throttling_counts_in_redis_shared_by_every_app_server(auth_client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    *allowed, refused = throttled_requests(auth_client, "3/minute", settings)
    assert [r.status_code for r in allowed] == [200, 200, 200]
    assert refused.status_code == 429
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "RedisCache"
    assert any(
        key for key in caches["default"]._cache.get_client().keys(f"{settings.CACHES['default']['KEY_PREFIX']}*")
    )


def test_health_is_never_throttled(api_client, db, settings):
    settings.API_THROTTLE_RATE = "1/minute"
    assert [api_client.get("/api/health").status_code for _ in range(3)] == [200, 200, 200]


def test_request_logs_carry_method_path_status_duration_and_never_the_key(auth_client, api_key, caplog):
    with caplog.at_level(logging.INFO, logger="recruitos.requests"):
        auth_client.get("/api/candidates?search=x", HTTP_X_EXTRA="1")
        auth_client.post("/api/candidates", {"firstName": ""})
    records = [r for r in caplog.records if r.name == "recruitos.requests"]
    assert [(r.method, r.path, r.status) for r in records] == [
        ("GET", "/api/candidates", 200),
        ("POST", "/api/candidates", 400),
    ]
    assert all(r.duration_ms >= 0 for r in records)
    assert api_key not in caplog.text


def test_request_lines_in_json_as_production_logs_them(auth_client, caplog):
    spec = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(spec.pop("()"))(**spec)
    with caplog.at_level(logging.INFO, logger="recruitos.requests"):
        auth_client.get("/api/candidates/999")
    [record] = [r for r in caplog.records if r.name == "recruitos.requests"]
    line = json.loads(formatter.format(record))
    assert (line["level"], line["logger"], line["method"], line["path"], line["status"]) == (
        "INFO", "recruitos.requests", "GET", "/api/candidates/999", 404,
    )  # fmt: skip
    assert isinstance(line["duration_ms"], float)
    assert "time" in line


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "0",
        "SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "recruitos.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=Path(settings.BASE_DIR), env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_gunicorn_stops_at_once_when_its_address_is_taken(tmp_path):
    """Workers bind their own sockets (SO_REUSEPORT); a taken port must still fail the start, not loop."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            "PATH": os.environ["PATH"],
            "DEBUG": "0",
            "SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
        }
        result = subprocess.run(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "recruitos.wsgi"],
            cwd=Path(settings.BASE_DIR), env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 1
    assert f"Cannot listen at 127.0.0.1:{port}: Address already in use" in result.stdout + result.stderr
    assert "Booting worker" not in result.stdout + result.stderr
