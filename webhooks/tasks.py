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
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from recruitos.leases import ENDED, Lease, free
from recruitos.tasks import fresh_connections
from webhooks.known import subscriptions_changed
from webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription
from webhooks.sending import Outcome, Sender

logger = logging.getLogger(__name__)
JITTER = 0.2
#: How many deliveries one queued job sends.
JOB_SIZE = 100
#: How many deliveries may wait in a process per sending thread.
IN_FLIGHT_PER_THREAD = 25
#: How many deliveries of one subscription may wait in a process (the rest wait in the database).
PER_SUBSCRIPTION = 50
#: How long a job waits for room before it queues the rest of its deliveries again, behind the other jobs.
HAND_OVER_SECONDS = 5
#: A subscription's turn: at most this many deliveries, sent for at most this long (at least one).
TURN_SIZE = 25
TURN_SECONDS = 1.0


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
        # How many deliveries may wait here (IN_FLIGHT_PER_THREAD a thread, PER_SUBSCRIPTION a subscription):
        # a job handing over more waits a moment for room (HAND_OVER_SECONDS), then queues the rest again.
        self.capacity, self.holding = threads * IN_FLIGHT_PER_THREAD, 0
        self.idle = threading.Condition(self.lock)  # nothing held any more
        self.freed = threading.Condition(self.lock)  # room made
        self.closing = False

    def close(self) -> None:
        """The worker stops: nothing more is sent; what waits is let go at once, for the sweeper."""
        with self.lock:
            self.closing = True
            waiting = [entry for queue in self.queues.values() for entry in queue]
            for queue in self.queues.values():
                queue.clear()
            self._done(waiting)
        for delivery, lease in waiting:
            lease.held([delivery.pk]).update(**ENDED)

    def send(self, lease: Lease, deliveries: list[Delivery]) -> None:
        if not deliveries:
            return
        with self.lock:
            self.leases[lease] = self.leases.get(lease, 0) + len(deliveries)
        if self.pool is None:
            self._send_here(deliveries, lease)
            return
        self._keep_leases()
        handed, until = 0, time.monotonic() + HAND_OVER_SECONDS
        try:
            for delivery in deliveries:
                with self.lock:
                    room = self.freed.wait_for(
                        partial(self._room_for, delivery.subscription_id), max(0, until - time.monotonic())
                    )
                    if not room or self.closing:
                        break  # no room for long enough (a slow subscription's share is full), or closing
                    starting = delivery.subscription_id not in self.queues
                    self.queues.setdefault(delivery.subscription_id, deque()).append((delivery, lease))
                    self.holding += 1
                handed += 1
                if starting:
                    self.pool.submit(self._turn, delivery.subscription_id)
        finally:
            if left := deliveries[handed:]:  # let go, and queued again behind the other jobs (not when closing)
                lease.held([delivery.pk for delivery in left]).update(**ENDED)
                with self.lock:
                    self._done([(delivery, lease) for delivery in left], room=False)
                    closing = self.closing
                if not closing:
                    send_soon([str(delivery.pk) for delivery in left])

    def _room_for(self, subscription_id: int) -> bool:
        """(Under the lock.) May one more wait here now: room in the process and in its subscription's share."""
        if self.closing:
            return True  # wait no more: the check after it lets the rest go
        queue = self.queues.get(subscription_id)
        return self.holding < self.capacity and (queue is None or len(queue) < PER_SUBSCRIPTION)

    def _send_here(self, deliveries: list[Delivery], lease: Lease) -> None:
        """Without threads: each subscription's deliveries in turn, before the job ends."""
        with self.lock:
            starting = []
            for delivery in deliveries:
                if delivery.subscription_id not in self.queues:
                    starting.append(delivery.subscription_id)
                self.queues.setdefault(delivery.subscription_id, deque()).append((delivery, lease))
        try:
            for subscription_id in starting:
                while self._send_next(subscription_id):
                    pass
        finally:  # after an error, what is left waits for its lease to end and the sweeper
            with self.lock:
                for subscription_id in starting:
                    self._done(self.queues.pop(subscription_id, ()))

    def wait_until_idle(self) -> None:
        """Until nothing waits or is under way (a worker run with --burst, before it ends)."""
        with self.idle:
            self.idle.wait_for(lambda: not self.leases)

    def _turn(self, subscription_id: int) -> None:
        """One delivery of the subscription's, then its turn goes to the back of the line."""
        if self.closing:
            with self.lock:
                self.queues.pop(subscription_id, None)
            return
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
        """
        A turn of the subscription's: its next deliveries, one at a time, for up to TURN_SECONDS (at
        least one), recorded together; whether more wait.
        """
        with self.lock:
            queue = self.queues[subscription_id]
            taken = [queue.popleft() for _ in range(min(TURN_SIZE, len(queue)))]
        done, sent, later = list(taken), [], []
        try:
            # Not those let go meanwhile (sent again from the admin, taken over by another runner).
            held = _held(taken)
            ends = time.monotonic() + TURN_SECONDS
            for number, (delivery, lease) in enumerate(taken):
                if number and time.monotonic() > ends:  # the turn is over: the rest go back to the front
                    with self.lock:
                        self.queues[subscription_id].extendleft(reversed(taken[number:]))
                    done = taken[:number]
                    break
                if (delivery.pk, lease.token) not in held:
                    continue
                outcome = _send(delivery)
                sent.append((delivery, lease, outcome, _next_attempt(delivery, outcome)))
                if not outcome.succeeded:  # the subscription's other waiting deliveries wait for its next try
                    with self.lock:
                        later = taken[number + 1 :] + list(self.queues[subscription_id])
                        self.queues[subscription_id] = deque()
                    done = taken + later[len(taken) - number - 1 :]
                    break
            _record(sent, later)
        finally:
            with self.lock:
                self._done(done)
                more = bool(self.queues.get(subscription_id))
                if not more:
                    self.queues.pop(subscription_id, None)
        return more

    def _done(self, done, *, room: bool = True) -> None:
        """(Under the lock.) These deliveries are no longer this process's to keep: their leases' counts go down."""
        for _, lease in done:
            self.leases[lease] -= 1
            if not self.leases[lease]:
                del self.leases[lease]
            if room and self.pool is not None:
                self.holding -= 1
        self.freed.notify_all()
        if not self.leases:
            self.idle.notify_all()

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


def drain_before_exit(burst: bool = False, **kwargs) -> None:
    """
    A worker ending its burst sends what its dispatcher holds first; one told to stop lets it go at
    once, for the sweeper (connected in WebhooksConfig.ready).
    """
    if _dispatcher is None:
        return
    if burst:
        _dispatcher.wait_until_idle()
    else:
        _dispatcher.close()


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


def _send(delivery: Delivery) -> Outcome:
    """One attempt; whatever goes wrong is its outcome (an attempt made is always recorded)."""
    subscription = delivery.subscription
    try:
        return _sender().send(subscription.url, subscription.secret, delivery.message_id, delivery.body)
    except Exception as exc:
        logger.exception("sending delivery %s failed", delivery.pk)
        return Outcome(error=f"could not be sent: {type(exc).__name__}"[:255])


def _held(deliveries: list[tuple[Delivery, Lease]], *, lock: bool = False) -> set:
    """The (key, token) pairs of `deliveries` still held under their own lease (locked in key order, `lock`)."""
    mine = {(delivery.pk, lease.token) for delivery, lease in deliveries}
    rows = Delivery.objects.filter(pk__in=[pk for pk, _ in mine]).order_by("pk")
    rows = rows.select_for_update() if lock else rows
    return {pair for pair in rows.values_list("pk", "lease_token") if pair in mine}


@transaction.atomic
def _record(sent: list[tuple[Delivery, Lease, Outcome, object]], later: list[tuple[Delivery, Lease]]) -> None:
    """
    Log a turn's attempts and move their deliveries on, in a few statements (successes together,
    each failure with its own next time), for the deliveries this runner still holds; the
    subscription's deliveries `later` wait for the failing endpoint's next try.
    """
    if not sent:
        return
    # Locked together, in key order (as the heartbeat takes them): taken over ones are the other runner's to tell.
    held = _held([(delivery, lease) for delivery, lease, _, _ in sent] + later, lock=True)
    sent = [entry for entry in sent if (entry[0].pk, entry[1].token) in held]
    now = timezone.now()
    Attempt.objects.bulk_create(
        Attempt(
            delivery=delivery,
            at=now,
            status_code=outcome.status_code,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
            response_excerpt=outcome.excerpt,
        )
        for delivery, _, outcome, _ in sent
    )
    delivered = [delivery.pk for delivery, _, outcome, _ in sent if outcome.succeeded]
    Delivery.objects.filter(pk__in=delivered).update(
        status=DeliveryStatus.DELIVERED, attempts=F("attempts") + 1, delivered_at=now, **ENDED
    )
    until = None
    for delivery, _, outcome, next_attempt in sent:
        if not outcome.succeeded:
            moved = {"next_attempt_at": next_attempt} if next_attempt else {"status": DeliveryStatus.FAILED}
            Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1, **moved, **ENDED)
            until = next_attempt or now + timedelta(seconds=_wait(0))
    if later and until:
        Delivery.objects.filter(
            pk__in=[waiting.pk for waiting, lease in later if (waiting.pk, lease.token) in held]
        ).update(next_attempt_at=until, **ENDED)
    if sent:
        _count(Subscription.objects.filter(pk=sent[0][0].subscription_id), [entry[2] for entry in sent], now)


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
        Delivery.objects.filter(free(), status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
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
