"""Request logging, and the care of kept database connections."""

import logging
import select
import time
from contextlib import ExitStack

from django.db import NotSupportedError, connections
from psycopg import pq

from recruitos.logs import printable

logger = logging.getLogger("recruitos.requests")


class RequestLogMiddleware:
    """Log method, path, status and duration of every request; never headers or the query string."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        path = printable(request.path)  # an encoded newline cannot start a forged line
        logger.info(
            "%s %s %s %.2fms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


class DatabaseConnectionMiddleware:
    """
    Before a request uses a kept PostgreSQL connection, drop it if the server has ended it; during
    the request, run each statement through `retry_stale_plan`.

    A connection the server or a proxy has ended (restart, failover, idle timeout,
    `pg_terminate_backend`) has its end of the socket readable: PostgreSQL's goodbye or the
    close itself waits there, as nothing else arrives on an idle connection. Such a connection
    is closed and the request's first query opens a new one. This replaces Django's
    CONN_HEALTH_CHECKS, which sends `SELECT 1` before every request's first query: a round trip
    per request (a quarter of a detail read's time under load). A link that died silently
    fails its query (503), and Django discards the connection at the end of that request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with ExitStack() as stack:
            # Only connections kept from earlier requests: one opened during this request has
            # neither ended nor prepared anything that could have gone stale.
            for connection in connections.all(initialized_only=True):
                if connection.vendor == "postgresql":
                    if _ended_by_server(connection):
                        connection.close()
                    stack.enter_context(connection.execute_wrapper(retry_stale_plan))
            return self.get_response(request)


def _ended_by_server(connection) -> bool:
    """Whether a kept connection, idle outside a transaction, has something from the server waiting."""
    if connection.connection is None or connection.in_atomic_block:
        return False
    pgconn = connection.connection.pgconn
    if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return True
    try:
        readable, _, _ = select.select([pgconn.socket], [], [], 0)
    except (OSError, ValueError):  # a closed or invalid descriptor
        return True
    return bool(readable)


def retry_stale_plan(execute, sql, params, many, context):
    """
    Run a statement again when its prepared plan went stale, outside a transaction.

    A statement prepared on a connection (settings: server-side binding) fails with "cached
    plan must not change result type" (SQLSTATE 0A000) once a migration run beside the workers
    changes a column it returns, and psycopg keeps the stale statement: every later request
    on that connection would fail. `DEALLOCATE ALL` makes the server and psycopg forget their
    statements. In a transaction the error stands (the transaction has failed); its rollback
    makes psycopg forget them.
    """
    try:
        return execute(sql, params, many, context)
    except NotSupportedError as error:
        connection = context["connection"]
        if getattr(error.__cause__, "sqlstate", None) != "0A000" or connection.in_atomic_block:
            raise
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        return execute(sql, params, many, context)
