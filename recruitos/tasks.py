"""What every background task shares, whichever app runs it."""

from django.db import connections
from django.dispatch import Signal

#: Sent by a worker once its queues no longer give it work (`burst`: they are empty and it ends;
#: else it was told to stop): work it handed to threads of its own may finish (`burst`) or be let go.
work_ended = Signal()


def fresh_connections() -> None:
    """
    Before and after a job, as Django does around a request: drop database connections that are
    broken or past CONN_MAX_AGE. Not inside a transaction (a job run at once, inside its caller's).
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
