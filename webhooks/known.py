"""
The active subscriptions, as this process knows them: read from the database once, and again only
after a change to them, so that a write with no subscriber asks nothing more of the database.

On PostgreSQL each connection LISTENs on a channel that every change to a subscription NOTIFYs in
its own transaction (`subscriptions_changed`); psycopg hands a notification over with the next
result its connection reads, so a request sees every subscription committed before its first
query. A new connection, which may have missed notifications, makes the next read go to the
database; so does a change made by this process. A transaction that changes subscriptions reads
them afresh until it commits (were it rolled back, what it read would not exist). Elsewhere (SQLite), or with
WEBHOOK_LISTEN=0 (a pooler in transaction mode, which cannot keep a LISTEN), each read asks.

A notification waiting on an idle kept connection looks, to `recruitos.middleware`'s check, like
the server's goodbye: the connection is closed and the request opens a new one (which listens
again). That costs a reconnect per web thread after each change to a subscription, a rare event.
"""

import threading
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from recruitos.sql import KeptQuery
from webhooks.models import Subscription

CHANNEL = "recruitos_webhook_subscriptions"

_ACTIVE = KeptQuery(
    lambda active: Subscription.objects.filter(active=active).values_list("id", "events", "minimal_payload")
)


class _Known:
    """The rows last read, and the generation of changes they were read at."""

    def __init__(self):
        self.lock = threading.Lock()
        self.generation = 0
        self.rows: list | None = None
        self.read_at = -1

    def changed(self, *args, **kwargs) -> None:
        with self.lock:
            self.generation += 1


known = _Known()
#: When this thread last changed subscriptions in a transaction not yet committed.
_changing = threading.local()
#: Longer than any transaction that changes subscriptions.
CHANGING_SECONDS = 3600


def active_subscriptions() -> list[tuple[int, list[str], bool]]:
    """(id, event types, minimal payload) of each active subscription."""
    if not _listening() or _in_changing_transaction():
        return _ACTIVE.rows(True)
    generation = known.generation
    if known.rows is not None and known.read_at == generation:
        return known.rows
    rows = _ACTIVE.rows(True)
    with known.lock:
        known.rows, known.read_at = rows, generation  # a change during the read leaves it stale: read again
    return rows


def subscriptions_changed() -> None:
    """Tell every process (at this transaction's commit) that the subscriptions changed."""
    known.changed()
    if connection.in_atomic_block:
        _changing.at = time.monotonic()
        transaction.on_commit(_committed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")


def _committed() -> None:
    _changing.at = None
    known.changed()


def _in_changing_transaction() -> bool:
    at = getattr(_changing, "at", None)
    return at is not None and connection.in_atomic_block and time.monotonic() - at < CHANGING_SECONDS


def forget() -> None:
    """Read the subscriptions again next time (the tests, whose transactions are rolled back, start so)."""
    _changing.at = None
    known.changed()


@receiver([post_save, post_delete], sender=Subscription)
def _saved(sender, **kwargs) -> None:
    subscriptions_changed()


@receiver(connection_created)
def _listen(sender, connection, **kwargs) -> None:
    if connection.vendor != "postgresql" or not settings.WEBHOOK_LISTEN:
        return
    connection.connection.add_notify_handler(known.changed)
    with connection.cursor() as cursor:
        cursor.execute(f"LISTEN {CHANNEL}")
    known.changed()  # what changed while this connection was not listening is unknown


def _listening() -> bool:
    return connection.vendor == "postgresql" and settings.WEBHOOK_LISTEN
