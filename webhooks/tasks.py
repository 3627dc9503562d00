"""
Sending deliveries, with retries, and the sweep that finds due and abandoned ones.

A job takes its deliveries by a lease (`recruitos.leases`) and hands them to this process's
sending threads (`Dispatcher`, WEBHOOK_SEND_THREADS of them): the job ends at once, and the queue
goes on. Each subscription's deliveries go one at a time, in order, subscriptions side by side and
in turns, so a slow receiver (each attempt is cut off at WEBHOOK_TIMEOUT_SECONDS) delays only its
own deliveries. A heartbeat keeps the leases of what waits or is under way, so no delivery is sent
again while an attempt holds it; one a dead runner held is free again once its lease ends. Each
attempt's outcome is written where the lease still holds (fenced).

A failed attempt (any non-2xx answer, a timeout, a refused connection) sets the next one after a
growing wait with jitter (WEBHOOK_RETRY_WAITS: within a minute at first, about a day in all), and
the subscription's other waiting deliveries wait for that try; after the last, the delivery has
failed. `410 Gone` turns the subscription off, and so does failing without a success for
WEBHOOK_DISABLE_AFTER_HOURS with at least WEBHOOK_DISABLE_AFTER_FAILURES failures in a row.
"""

import logging
import random
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from recruitos.leases import Lease, free
from recruitos.tasks import fresh_connections
from webhooks.known import subscriptions_changed
from webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription
from webhooks.sending import Outcome, Sender

logger = logging.getLogger(__name__)
JITTER = 0.2
#: How many deliveries one queued job sends.
JOB_SIZE = 100


@task(queue_name="webhooks")
def deliver(ids: list[str]) -> None:
    """Take the deliveries `ids` that are due and free, and send them; the others are someone else's or not yet due."""
    fresh_connections()
    try:
        now = timezone.now()
        lease = Lease.take(
            Delivery.objects.filter(
                pk__in=ids, status=DeliveryStatus.PENDING, next_attempt_at__lte=now, subscription__active=True
            )
        )
        if lease:
            deliveries = Delivery.objects.select_related("subscription").filter(pk__in=lease.pks)
            dispatcher().send(lease, list(deliveries.order_by("created_at")))
    finally:
        fresh_connections()


class Dispatcher:
    """
    This process's sending: a queue per subscription, drained by `threads` threads a delivery at a
    time and in turns (0 threads: at once, in the caller, as the tests' immediate jobs do).
    """

    def __init__(self, threads: int):
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="webhooks") if threads else None
        self.lock = threading.Lock()
        self.queues: dict[int, deque[tuple[Delivery, Lease]]] = {}  # a subscription's, while it has deliveries
        self.leases: dict[Lease, int] = {}  # the leases of what waits or is under way: how many deliveries each
        self.heartbeat: threading.Thread | None = None

    def send(self, lease: Lease, deliveries: list[Delivery]) -> None:
        with self.lock:
            self.leases[lease] = self.leases.get(lease, 0) + len(deliveries)
            starting = []
            for delivery in deliveries:
                if delivery.subscription_id not in self.queues:
                    self.queues[delivery.subscription_id] = deque()
                    starting.append(delivery.subscription_id)
                self.queues[delivery.subscription_id].append((delivery, lease))
        if self.pool is None:
            try:
                for subscription_id in starting:
                    while self._send_next(subscription_id):
                        pass
            finally:  # after an error, what is left waits for its lease to end and the sweeper
                with self.lock:
                    for subscription_id in starting:
                        self._done(self.queues.pop(subscription_id, ()))
            return
        self._keep_leases()
        for subscription_id in starting:
            self.pool.submit(self._turn, subscription_id)

    def _turn(self, subscription_id: int) -> None:
        """One delivery of the subscription's, then its turn goes to the back of the line."""
        try:
            more = self._send_next(subscription_id)
        except Exception:  # its delivery waits for its lease to end and the sweeper
            logger.exception("sending to subscription %s failed", subscription_id)
            with self.lock:
                more = subscription_id in self.queues
        finally:
            fresh_connections()  # this thread's own, kept between turns as a request's are (CONN_MAX_AGE)
        if more:
            with suppress(RuntimeError):  # the process is shutting down: the leases end, another runner sends the rest
                self.pool.submit(self._turn, subscription_id)

    def _send_next(self, subscription_id: int) -> bool:
        """Send the subscription's next delivery and record it; whether more wait."""
        with self.lock:
            delivery, lease = self.queues[subscription_id].popleft()
        done = [(delivery, lease)]
        try:
            subscription = delivery.subscription
            outcome = _sender().send(subscription.url, subscription.secret, delivery.message_id, delivery.body)
            later = []
            if not outcome.succeeded:  # the subscription's other waiting deliveries wait for its next try
                with self.lock:
                    later, self.queues[subscription_id] = list(self.queues[subscription_id]), deque()
                done += later
            _record(lease, delivery, outcome, _next_attempt(delivery, outcome), later)
        finally:
            with self.lock:
                self._done(done)
                more = bool(self.queues.get(subscription_id))
                if not more:
                    self.queues.pop(subscription_id, None)
        return more

    def _done(self, done) -> None:
        """(Under the lock.) These deliveries are no longer this process's to keep: their leases' counts go down."""
        for _, lease in done:
            self.leases[lease] -= 1
            if not self.leases[lease]:
                del self.leases[lease]

    def _keep_leases(self) -> None:
        """Start the heartbeat that renews every lease this process holds (once)."""
        with self.lock:
            if self.heartbeat is not None:
                return
            self.heartbeat = threading.Thread(target=self._beat, name="webhooks-heartbeat", daemon=True)
        self.heartbeat.start()

    def _beat(self) -> None:
        while True:
            time.sleep(settings.JOB_LEASE_SECONDS / 4)
            with self.lock:
                leases = list(self.leases)
            for lease in leases:
                try:
                    lease.renew()
                except Exception:  # a database busy for a moment: the next beat
                    logger.debug("renewing a delivery lease failed", exc_info=True)
            fresh_connections()


_local = threading.local()


def _sender() -> Sender:
    """This thread's sender: its connections kept alive between deliveries for a while (`Sender`)."""
    if not hasattr(_local, "sender"):
        _local.sender = Sender()
    return _local.sender


_dispatcher: Dispatcher | None = None
_made = threading.Lock()


def dispatcher() -> Dispatcher:
    """
    This process's dispatcher (made on first use, with WEBHOOK_SEND_THREADS threads); with none, one
    for this job alone, which sends before the job ends.
    """
    global _dispatcher
    if not settings.WEBHOOK_SEND_THREADS:
        return Dispatcher(0)
    with _made:
        if _dispatcher is None:
            _dispatcher = Dispatcher(settings.WEBHOOK_SEND_THREADS)
        return _dispatcher


def _next_attempt(delivery: Delivery, outcome: Outcome):
    """When a failed delivery is tried again (None: it succeeded, or that was its last attempt)."""
    if outcome.succeeded or delivery.attempts + 1 > len(settings.WEBHOOK_RETRY_WAITS):
        return None
    return timezone.now() + timedelta(seconds=_wait(delivery.attempts))


@transaction.atomic
def _record(lease: Lease, delivery: Delivery, outcome: Outcome, next_attempt, later: list[tuple[Delivery, Lease]]):
    """
    Log the attempt and move the delivery on (delivered, a next try, or failed), if this runner
    still holds it; the subscription's deliveries `later` wait for the failing endpoint's next try.
    """
    ended = {"lease_token": None, "lease_until": None}
    if not lease.held([delivery.pk]).select_for_update().exists():
        return  # taken over (this runner stalled past its lease): the other one tells
    now = timezone.now()
    Attempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        error=outcome.error,
        response_excerpt=outcome.excerpt,
    )
    if outcome.succeeded:
        moved = {"status": DeliveryStatus.DELIVERED, "delivered_at": now}
    else:
        moved = {"next_attempt_at": next_attempt} if next_attempt else {"status": DeliveryStatus.FAILED}
    lease.held([delivery.pk]).update(attempts=F("attempts") + 1, **moved, **ended)
    until = next_attempt or now + timedelta(seconds=_wait(0))
    for waiting, held in later:
        held.held([waiting.pk]).update(next_attempt_at=until, **ended)
    _count(Subscription.objects.filter(pk=delivery.subscription_id), [outcome], now)


def _count(subscription, results: list[Outcome], now) -> None:
    """A subscription's run of failures after these attempts (in order): reset by a success, off after 410 or a day."""
    last_success = max((n for n, outcome in enumerate(results) if outcome.succeeded), default=None)
    failures = results[last_success + 1 :] if last_success is not None else results
    if last_success is not None:
        subscription.update(consecutive_failures=0, failing_since=None, last_success_at=now)
    if not failures:
        return
    subscription.filter(failing_since__isnull=True).update(failing_since=now)
    subscription.update(consecutive_failures=F("consecutive_failures") + len(failures))
    if any(outcome.status_code == 410 for outcome in failures):
        reason = f"The receiver answered 410 Gone on {now:%Y-%m-%d %H:%M} UTC."
        subscription.update(active=False, disabled_reason=reason)
        subscriptions_changed()
        return
    since = now - timedelta(hours=settings.WEBHOOK_DISABLE_AFTER_HOURS)
    turned_off = subscription.filter(
        active=True,
        consecutive_failures__gte=settings.WEBHOOK_DISABLE_AFTER_FAILURES,
        failing_since__lte=since,
    ).update(
        active=False,
        disabled_reason=(
            f"Turned off on {now:%Y-%m-%d %H:%M} UTC: every attempt failed for "
            f"{settings.WEBHOOK_DISABLE_AFTER_HOURS:g} hours."
        ),
    )
    if turned_off:
        subscriptions_changed()


def _wait(retry: int) -> float:
    """Seconds before retry number `retry` (0: the first), with ±20% jitter so retries do not come in waves."""
    waits = settings.WEBHOOK_RETRY_WAITS
    base = waits[min(retry, len(waits) - 1)]
    return base * random.uniform(1 - JITTER, 1 + JITTER)


def sweep() -> None:
    """
    Queue the deliveries that are due and nobody holds: retries whose time has come, and first
    attempts older than a few seconds (their job was lost, or their runner died holding them).
    """
    now = timezone.now()
    grace = now - timedelta(seconds=max(10, settings.JOB_SWEEP_SECONDS * 2))
    lease = timedelta(seconds=settings.JOB_LEASE_SECONDS)
    due = (
        Delivery.objects.filter(free(now), status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .filter(subscription__active=True)
        .filter(Q(attempts__gt=0) | Q(created_at__lt=grace))
        .filter(Q(requeued_at__isnull=True) | Q(requeued_at__lt=now - lease))
        .order_by("next_attempt_at")
    )
    ids = [str(pk) for pk in due.values_list("pk", flat=True)[:1000]]
    if ids:
        Delivery.objects.filter(pk__in=ids).update(requeued_at=now)
        send_soon(ids)


def send_soon(ids: list[str]) -> None:
    """Queue the deliveries `ids` for sending, JOB_SIZE a job."""
    for start in range(0, len(ids), JOB_SIZE):
        deliver.enqueue(ids[start : start + JOB_SIZE])
