"""
Sending deliveries, with retries, and the sweep that finds due and abandoned ones.

A job claims its deliveries in the database (a lease, `locked_until`) before sending, so two
workers never send one at once, and one a dead worker held is free again when its lease ends.
A failed attempt (any non-2xx answer, a timeout, a refused connection) sets the next one after a
growing wait with jitter (WEBHOOK_RETRY_WAITS: within a minute at first, about a day in all); after the
last, the delivery has failed. `410 Gone` turns the subscription off, and so does failing
without a success for WEBHOOK_DISABLE_AFTER_HOURS with at least WEBHOOK_DISABLE_AFTER_FAILURES
failures in a row.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from recruitos.tasks import fresh_connections
from webhooks.known import subscriptions_changed
from webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription
from webhooks.sending import Outcome, Sender

JITTER = 0.2
#: How many deliveries one queued job sends.
JOB_SIZE = 100


@task(queue_name="webhooks")
def deliver(ids: list[str]) -> None:
    """Send the deliveries `ids` that are due and free; the others are someone else's or not yet due."""
    fresh_connections()
    sender = Sender()
    # As many at a time as can be sent within the lease even if each meets the timeout.
    claim = max(1, int(settings.WEBHOOK_LEASE_SECONDS // settings.WEBHOOK_TIMEOUT_SECONDS))
    try:
        # Subscriptions that failed in this job, and when they are tried next: their other deliveries wait
        # for that try instead of each meeting the same timeout.
        down: dict[int, object] = {}
        for start in range(0, len(ids), claim):
            sent, released = [], []
            for delivery in _claim(ids[start : start + claim]):
                if delivery.subscription_id in down:
                    released.append((delivery, down[delivery.subscription_id]))
                    continue
                outcome = sender.send(
                    delivery.subscription.url, delivery.subscription.secret, delivery.message_id, delivery.body
                )
                sent.append((delivery, outcome, _next_attempt(delivery, outcome)))
                if not outcome.succeeded:
                    down[delivery.subscription_id] = sent[-1][2] or timezone.now() + timedelta(seconds=_wait(0))
            _record(sent, released)
    finally:
        sender.close()
        fresh_connections()


def _claim(ids: list[str]) -> list[Delivery]:
    now = timezone.now()
    with transaction.atomic():
        free = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(pk__in=ids, status=DeliveryStatus.PENDING, next_attempt_at__lte=now, subscription__active=True)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
            .order_by("created_at")
        )
        claimed = list(free)
        Delivery.objects.filter(pk__in=[d.pk for d in claimed]).update(
            locked_until=now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
        )
    return claimed


def _next_attempt(delivery: Delivery, outcome: Outcome):
    """When a failed delivery is tried again (None: it succeeded, or that was its last attempt)."""
    if outcome.succeeded or delivery.attempts + 1 > len(settings.WEBHOOK_RETRY_WAITS):
        return None
    return timezone.now() + timedelta(seconds=_wait(delivery.attempts))


@transaction.atomic
def _record(sent: list[tuple[Delivery, Outcome, object]], released: list[tuple[Delivery, object]]) -> None:
    """
    Log a claim's attempts and move its deliveries on, in a few statements: successes together,
    each failure on its own (it has its own next time), released ones with their endpoint's next try.
    """
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
        for delivery, outcome, _ in sent
    )
    delivered = [delivery.pk for delivery, outcome, _ in sent if outcome.succeeded]
    Delivery.objects.filter(pk__in=delivered).update(
        status=DeliveryStatus.DELIVERED, attempts=F("attempts") + 1, delivered_at=now, locked_until=None
    )
    for delivery, outcome, next_attempt in sent:
        if not outcome.succeeded:
            changes = {"next_attempt_at": next_attempt} if next_attempt else {"status": DeliveryStatus.FAILED}
            Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1, locked_until=None, **changes)
    waiting: dict[object, list] = {}  # one next try per failing endpoint
    for delivery, until in released:
        waiting.setdefault(until, []).append(delivery.pk)
    for until, pks in waiting.items():
        Delivery.objects.filter(pk__in=pks).update(locked_until=None, next_attempt_at=until)
    outcomes: dict[int, list[Outcome]] = {}
    for delivery, outcome, _ in sent:
        outcomes.setdefault(delivery.subscription_id, []).append(outcome)
    for subscription_id, results in outcomes.items():
        _count(Subscription.objects.filter(pk=subscription_id), results, now)


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
    attempts older than a few seconds (their job was lost, or their worker died holding them).
    """
    now = timezone.now()
    grace = now - timedelta(seconds=max(10, settings.JOB_SWEEP_SECONDS * 2))
    lease = timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    due = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now, subscription__active=True)
        .filter(Q(attempts__gt=0) | Q(created_at__lt=grace))
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
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
