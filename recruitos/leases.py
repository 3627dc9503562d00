"""
Leases: how a row of background work (an import job, a webhook delivery) is held by one runner at
a time, and let go when its runner dies.

A runner takes free rows (no lease, or one that has ended) by writing a token of its own and an
end JOB_LEASE_SECONDS ahead (`Lease.take`). While it works, a heartbeat thread moves the end on
every quarter of that, whatever the work's progress (`Lease.kept`), so a slow batch or a slow
receiver never looks like a dead runner. Every write the work makes is fenced: it names the token,
in the same transaction, so once another runner has taken a row (this one stalled past the end)
nothing more of this one's is written (`Lease.held`, LeaseLost). The sweepers give out again the
rows whose lease has ended. Imports and deliveries share this; each keeps its own rules of what
is free to take.
"""

import logging
import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection, connections, models, transaction
from django.db.models import Q
from django.db.models.functions import Now

logger = logging.getLogger(__name__)


#: What a row's lease columns hold once it is let go.
ENDED = {"lease_token": None, "lease_until": None}


class LeaseLost(Exception):
    """Another runner holds the work now (this one stalled past its lease): stop, writing nothing more."""


class Leased(models.Model):
    """The columns a row of background work is held by."""

    lease_token = models.UUIDField(null=True, blank=True, editable=False, help_text="Who holds it: a runner's token.")
    lease_until = models.DateTimeField(null=True, blank=True, editable=False, help_text="Held until then.")

    class Meta:
        abstract = True


def free() -> Q:
    """Rows nobody holds: never taken, let go, or held by a runner whose lease ended (by the database's clock)."""
    return Q(lease_until__isnull=True) | Q(lease_until__lt=Now())


def seconds() -> float:
    return settings.JOB_LEASE_SECONDS


def _until():
    """A lease's end from now, by the database's clock: the hosts' clocks may differ, the database's is one."""
    return Now() + timedelta(seconds=seconds())


class Lease:
    """The rows `pks` of `model` that this runner holds under `token`."""

    def __init__(self, model, pks: list, token: uuid.UUID):
        self.model, self.pks, self.token = model, pks, token
        self.lost = threading.Event()

    @classmethod
    def take(cls, queryset, **changes) -> "Lease":
        """
        The free rows of `queryset`, taken for a new token in one UPDATE (with `changes`, the
        taking's own writes: a status, a count); the lease holds none if another runner was first.
        """
        token, model = uuid.uuid4(), queryset.model
        with transaction.atomic():
            # Locked as they are chosen (the free condition checked again on each row's newest version),
            # rows another runner is taking skipped: two runners never take one row, nor wait on each other.
            chosen = queryset.filter(free()).select_for_update(skip_locked=True, of=("self",)).order_by("pk")
            pks = list(chosen.values_list("pk", flat=True))
            if pks:
                model._default_manager.filter(pk__in=pks).update(lease_token=token, lease_until=_until(), **changes)
        return cls(model, pks, token)

    def __bool__(self) -> bool:
        return bool(self.pks)

    def held(self, pks=None):
        """The rows (of `pks`, or all) still held: what a fenced write updates."""
        return self.model._default_manager.filter(pk__in=self.pks if pks is None else pks, lease_token=self.token)

    def write(self, pks=None, *, end: bool = False, **changes) -> int:
        """
        A fenced write: `changes` to the held rows (of `pks`), and their lease moved on (or ended,
        `end`); LeaseLost when none of them is held any more.
        """
        lease = ENDED if end else {"lease_until": _until()}
        written = self.held(pks).update(**changes, **lease)
        if not written and (pks is None or pks):
            self.lost.set()
            raise LeaseLost(f"{self.model._meta.label} {self.pks[:3]}: taken by another runner")
        return written

    def renew(self) -> bool:
        """
        Move the lease's end on, for the held rows not locked this moment (a write of this runner's
        own may be under way: it moves the end itself); False once another runner holds every row.
        """
        with transaction.atomic():
            free_now = self.held().select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)
            if pks := list(free_now):
                self.model._default_manager.filter(pk__in=pks).update(lease_until=_until())
        if pks or self.held().exists():
            return True
        self.lost.set()
        return False

    @contextmanager
    def kept(self):
        """
        While the block runs, a heartbeat thread renews the lease every quarter of its length. Not
        inside a caller's transaction (a job run at once, in a test): only its end shows the work.
        """
        if connection.in_atomic_block:
            yield self
            return
        stop = threading.Event()

        def beat():
            try:
                while not stop.wait(seconds() / 4):
                    try:
                        if not self.renew():
                            return
                    except Exception:  # a database busy for a moment (SQLite's one writer): the next beat
                        logger.debug("lease renewal failed", exc_info=True)
            finally:
                connections.close_all()  # this thread's own

        thread = threading.Thread(target=beat, name="lease-heartbeat", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()
