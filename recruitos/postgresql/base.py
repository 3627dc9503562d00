"""
Django's PostgreSQL backend, whose per-request health check asks the socket before the server.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every request
that reuses a connection: a round trip per request (on a detail read, a quarter of the
worker's time under load). A connection the server or a proxy has ended (restart, failover,
idle timeout, `pg_terminate_backend`) has its end of the socket readable: PostgreSQL's
goodbye message or the close itself is waiting there, as nothing else arrives on an idle
connection. So an idle connection whose socket has nothing to read passes without a query,
and only one with something waiting gets Django's own `SELECT 1`, which fails on a dead
connection and makes Django open a new one, as before.

What neither check can see ahead is a link that died silently; the query then fails (503)
and Django discards the connection at the end of that request, as it always did.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._idle_and_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _idle_and_quiet(self) -> bool:
        """Whether the connection is open, outside a transaction, and the server has sent nothing since."""
        pgconn = self.connection.pgconn
        if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            readable, _, _ = select.select([pgconn.socket], [], [], 0)
        except (OSError, ValueError):  # a closed or invalid descriptor
            return False
        return not readable
