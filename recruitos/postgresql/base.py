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

It also offers `prepared_cursor()`: a cursor whose statements PostgreSQL parses and plans
once per connection and then only executes with new values (psycopg's prepared statements,
server-side parameters). Django never prepares (its cursors quote values into the SQL text
client-side, so that connection poolers in transaction mode keep working); the few
statements every request runs with one fixed text (the key lookup, a read by id, a create)
ask for this cursor, everything else keeps Django's. `OPTIONS["prepared_statements"] = False`
(DB_PREPARED_STATEMENTS=0) turns it off, for a pooler that cannot keep prepared statements
(PgBouncer before 1.21 in transaction mode), and so does CONN_MAX_AGE=0 (a connection per
request): `prepared_cursor()` is then Django's cursor.
"""

import select

from django.db.backends.postgresql import base
from django.utils.functional import cached_property
from psycopg import errors, pq

_PREPARED = object()  # the cursor "name" that asks create_cursor for a PreparedCursor
# psycopg prepares a statement that a server-binding cursor runs this often without being
# asked; only PreparedCursor binds server-side here and it always asks, so: never unasked.
_NEVER = 2**31 - 1


class PreparedCursor(base.ServerBindingCursor):
    """A server-binding cursor that prepares every statement it runs (psycopg keeps up to 100 per connection)."""

    wrapper = None  # the DatabaseWrapper that made it

    def execute(self, query, params=None, *, prepare=True, binary=None):
        try:
            return super().execute(query, params, prepare=prepare, binary=binary)
        except errors.FeatureNotSupported:
            # "cached plan must not change result type": a migration changed a column this
            # statement returns after it was prepared here (a deploy's migrate, before the
            # workers restart). psycopg keeps the stale statement, so this connection is closed
            # at the end of the request and its successor prepares afresh; outside a
            # transaction the statement runs again now, unprepared. Inside one the transaction
            # has failed, the error stands, and psycopg forgets its statements on the rollback.
            if self.wrapper is not None:
                self.wrapper.close_at = 0  # compared with time.monotonic() after the request
            if not prepare or self.connection.info.transaction_status != pq.TransactionStatus.IDLE:
                raise
            return super().execute(query, params, prepare=False, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    @cached_property
    def prepared_statements(self) -> bool:
        # A connection used for one request only (CONN_MAX_AGE=0) would pay preparing's extra
        # round trip on every request and never reuse what it prepared.
        persistent = self.settings_dict.get("CONN_MAX_AGE", 0) != 0  # None: for ever
        return bool(self.settings_dict["OPTIONS"].get("prepared_statements", True)) and persistent

    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("prepared_statements", None)
        if self.prepared_statements and params.get("prepare_threshold") is None:
            # psycopg prepares nothing, even when asked, while the threshold is None.
            params["prepare_threshold"] = _NEVER
        return params

    def create_cursor(self, name=None):
        if name is not _PREPARED:
            return super().create_cursor(name)
        cursor = PreparedCursor(self.connection)
        cursor.wrapper = self
        tzloader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, base.Format.TEXT)
        if self.timezone != tzloader.timezone:  # as Django's create_cursor
            base.register_tzloader(self.timezone, cursor)
        return cursor

    def prepared_cursor(self):
        """A cursor (wrapped as Django's: errors, query logging) whose statements are prepared once per connection."""
        if not self.prepared_statements:
            return self.cursor()
        return self._cursor(name=_PREPARED)

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
