"""
The per-request health check of PostgreSQL connections (recruitos.postgresql): no query for a
connection that is fine, a new connection for one the server has ended.
"""

import time

import psycopg
import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the backend is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def next_request():
    """What Django does between two requests on a kept connection."""
    connection.health_check_done = False


@pytest.fixture
def checked(monkeypatch):
    """Health checks on (as in production), and a record of each SELECT 1 Django sends for one."""
    wrapper = connections["default"]  # the thread's own, not the proxy
    monkeypatch.setattr(wrapper, "health_check_enabled", True)
    pings = []
    is_usable = wrapper.is_usable

    def counting_is_usable():
        result = is_usable()
        pings.append(result)
        return result

    monkeypatch.setattr(wrapper, "is_usable", counting_is_usable)
    return pings


def test_a_quiet_connection_is_kept_without_a_query(checked):
    first = backend_pid()
    next_request()
    assert backend_pid() == first
    assert checked == []


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(checked):
    ended = backend_pid()
    settings = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in settings.items() if k != "cursor_factory"}, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [ended])
    deadline = time.monotonic() + 5
    while connection._idle_and_quiet() and time.monotonic() < deadline:
        time.sleep(0.01)

    next_request()
    assert backend_pid() != ended  # the request's query ran, on a new connection
    assert checked == [False]  # Django's own SELECT 1 found the old one dead
