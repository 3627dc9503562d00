"""Log lines: no query string, no header, no forged line; Django's own error answers under /api are JSON."""

import io
import json
import logging

import pytest
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from recruitos.logs import PlainFormatter, RedactRequests

LOGGERS = ["recruitos.requests", "recruitos.api", "django.request", "django.server"]


@pytest.fixture(params=["plain", "json"])
def log(request):
    """The project's handler as settings.LOGGING makes it, in either format, writing to a string."""
    formats = settings.LOGGING["formatters"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    if request.param == "plain":
        handler.setFormatter(PlainFormatter(formats["plain"]["format"]))
    else:
        handler.setFormatter(JsonFormatter(formats["json"]["fmt"], rename_fields=formats["json"]["rename_fields"]))
    handler.addFilter(RedactRequests())
    for name in LOGGERS:
        logging.getLogger(name).addHandler(handler)
    yield request.param, stream
    for name in LOGGERS:
        logging.getLogger(name).removeHandler(handler)


@pytest.mark.parametrize("path", ["/api/candidates%0A2026-11-29 12:00:00,000 INFO forged admin login",
                                  "/api/x%0D%0Aforged", "/api/%1B%5B31mred", "/admin/%0Aforged", "/api/%E2%80%AEevil"])  # fmt: skip
def test_an_encoded_newline_or_escape_in_a_path_cannot_forge_a_line(auth_client, log, path):
    fmt, stream = log
    response = auth_client.get(path)
    assert response.status_code in (404, 302)
    if path.startswith("/api"):
        assert response.json() == {"detail": "Not found."}  # JSON, never Django's HTML page
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "\x1b" not in lines[0]
    assert "\u202e" not in lines[0]
    if fmt == "json":
        assert json.loads(lines[0])["path"].startswith(("/api/", "/admin/"))


def test_an_error_log_names_the_path_never_the_query_string(auth_client, log, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr("dashboard.views.dashboard_stats", broken)
    response = auth_client.get("/api/dashboard/stats?date=2031-03-04&secret=s3cr3t-value")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error"}
    text = log[1].getvalue()
    assert "RuntimeError: boom" in text  # the traceback is there
    assert "/api/dashboard/stats" in text
    assert "s3cr3t-value" not in text
    assert "2031-03-04" not in text


def test_runserver_lines_lose_their_query_string(log):
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /api/candidates?search=sarah&key=s3cr3t HTTP/1.1", "200", "12"), None)  # fmt: skip
    record.request = object()  # runserver passes its socket
    logging.getLogger("django.server").handle(record)
    text = log[1].getvalue()
    assert "GET /api/candidates HTTP/1.1" in text
    assert "s3cr3t" not in text
    assert "sarah" not in text


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:8000@evil", "a" * 300])
def test_a_host_header_not_allowed_is_a_json_400_under_api(client, db, host):
    response = client.get("/api/candidates", headers={"host": host})
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request"}
    page = client.get("/admin/", headers={"host": host})
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
