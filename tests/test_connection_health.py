"""
Kept PostgreSQL connections (recruitos.middleware.DatabaseConnectionMiddleware): no query to
check a connection that is fine, a new connection for one the server has ended.
"""

import time

import psycopg
import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from recruitos.middleware import DatabaseConnectionMiddleware, _ended_by_server

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the backend is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.fixture
def request_through_middleware():
    """Run a request through the middleware whose view reports the backend it ran its query on."""
    seen = []

    def view(request):
        seen.append(backend_pid())
        return HttpResponse()

    def run() -> int:
        DatabaseConnectionMiddleware(view)(RequestFactory().get("/api/health"))
        return seen[-1]

    return run


def test_a_quiet_connection_is_kept_without_a_query(request_through_middleware, django_assert_num_queries):
    first = backend_pid()
    with django_assert_num_queries(1):  # the view's own query, nothing sent to check the connection
        assert request_through_middleware() == first


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(request_through_middleware):
    ended = backend_pid()
    settings = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in settings.items() if k != "cursor_factory"}, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [ended])
    deadline = time.monotonic() + 5
    while not _ended_by_server(connection) and time.monotonic() < deadline:
        time.sleep(0.01)

    assert request_through_middleware() != ended  # the request's query ran, on a new connection
