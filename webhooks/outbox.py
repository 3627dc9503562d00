"""
The outbox: webhook deliveries written in the same transaction as the change they announce.

The services call these with the change made and not yet committed. Each reads the active
subscriptions (one small query) and returns or stores one `Delivery` per subscription that
wants the event, with its body fixed; after the commit the deliveries are queued
(`webhooks.tasks.deliver`). A change rolled back takes its deliveries with it; a committed one
always has them, and the sweeper sends any the queue lost.
"""

import orjson
from django.db import transaction
from django.utils import timezone

from history import services as history
from recruitos.dates import utc_text
from recruitos.naming import camel_name
from recruitos.renderers import CamelCaseORJSONRenderer
from webhooks.known import active_subscriptions
from webhooks.models import Delivery, DeliveryStatus, EventType

#: How many deliveries one queued job sends.
JOB_SIZE = 100
#: A person's values in a delivery's `data` (history's list, as the API names them), nulled when they are erased.
PERSONAL = {
    subject.value: tuple(sorted(camel_name(field) for field in fields)) for subject, fields in history.PERSONAL.items()
}

_renderer = CamelCaseORJSONRenderer()


class Event:
    """One event: its type, and the object it is about (its API form built only if someone wants it)."""

    def __init__(
        self, type: EventType, instance, *, candidate_id: int | None = None, data: dict | None = None, at=None
    ):
        self.type, self.instance, self.at = type, instance, at or timezone.now()
        self.candidate_id = candidate_id if candidate_id is not None else _candidate_id(instance)
        self._data = data

    def data(self, minimal: bool) -> dict:
        if minimal or self.type in (EventType.CANDIDATE_DELETED,):
            return _ids(self.instance)
        if self._data is None:
            self._data = _api_form(self.instance)
        return self._data


def wanted(event_type: EventType, subscriptions) -> bool:
    return any(event_type in types for _, types, _ in subscriptions)


def deliveries(events: list[Event], subscriptions=None) -> list[Delivery]:
    """The deliveries (not yet saved) of `events` to the active subscriptions that want them."""
    if not events:
        return []
    if subscriptions is None:
        subscriptions = active_subscriptions()
    if not subscriptions:
        return []
    rows = []
    for event in events:
        for subscription_id, types, minimal in subscriptions:
            if event.type in types:
                body = {"type": event.type.value, "timestamp": utc_text(event.at), "data": event.data(minimal)}
                rows.append(
                    Delivery(
                        subscription_id=subscription_id,
                        event_type=event.type,
                        body=_renderer.render(body).decode(),
                        candidate_id=event.candidate_id,
                        created_at=event.at,
                        next_attempt_at=event.at,
                    )
                )
    return rows


def queue_after_commit(rows: list[Delivery]) -> None:
    """Once the transaction that stores `rows` commits, queue them for sending."""
    if rows:
        ids = [str(row.pk) for row in rows]
        transaction.on_commit(lambda: send_soon(ids), robust=True)  # queue down: the sweeper sends them later


def send_soon(ids: list[str]) -> None:
    from webhooks.tasks import deliver

    for start in range(0, len(ids), JOB_SIZE):
        deliver.enqueue(ids[start : start + JOB_SIZE])


def emit(events: list[Event], subscriptions=None) -> list[Delivery]:
    """Store the deliveries of `events` (inside the caller's transaction) and queue them after its commit."""
    rows = deliveries(events, subscriptions)
    if rows:
        Delivery.objects.bulk_create(rows, batch_size=1000)
        queue_after_commit(rows)
    return rows


def candidate_changes(candidate, changed) -> list[Event]:
    """The events of an update: `candidate.updated`, and a status move's `status_changed` (and `hired`)."""
    at = timezone.now()  # one change: one moment
    events = [Event(EventType.CANDIDATE_UPDATED, candidate, at=at)]
    if "status" in changed:
        events.append(Event(EventType.CANDIDATE_STATUS_CHANGED, candidate, at=at))
        if candidate.status == "Hired":
            events.append(Event(EventType.CANDIDATE_HIRED, candidate, at=at))
    return events


#: The event of an interview created or moved to a status.
INTERVIEW_STATUS_EVENTS = {
    "Scheduled": EventType.INTERVIEW_SCHEDULED,
    "Completed": EventType.INTERVIEW_COMPLETED,
    "Cancelled": EventType.INTERVIEW_CANCELLED,
}


def interview_changes(interview, changed) -> list[Event]:
    """`rescheduled` when a scheduled interview's time or length moves; the new status's event when it changes."""
    if "status" in changed:
        return [Event(INTERVIEW_STATUS_EVENTS[interview.status], interview)]
    if {"scheduled_date", "duration"} & changed.keys() and interview.status == "Scheduled":
        return [Event(EventType.INTERVIEW_RESCHEDULED, interview)]
    return []


def import_finished(job) -> list[Delivery]:
    from imports.serializers import ImportJobSerializer

    return emit([Event(EventType.IMPORT_FINISHED, job, candidate_id=None, data=ImportJobSerializer(job).data)])


def erase(*, candidate_ids: list[int]) -> int:
    """Null the personal values in every delivery about these candidates and drop their receivers' answers."""
    from webhooks.models import Attempt

    erased = []
    for delivery in Delivery.objects.filter(candidate_id__in=candidate_ids).only("body", "event_type"):
        body = orjson.loads(delivery.body)
        data = body.get("data") or {}
        personal = [key for key in PERSONAL[delivery.event_type.split(".")[0]] if data.get(key) is not None]
        if personal:
            data.update(dict.fromkeys(personal))
            delivery.body = orjson.dumps(body).decode()
            erased.append(delivery)
    Delivery.objects.bulk_update(erased, ["body"], batch_size=500)
    Attempt.objects.filter(delivery__candidate_id__in=candidate_ids).exclude(response_excerpt="").update(
        response_excerpt=""
    )
    return len(erased)


def redeliver(queryset) -> int:
    """Send these deliveries again now, whatever became of them (the admin's action)."""
    ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
    now = timezone.now()
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now, locked_until=None, attempts=0, delivered_at=None
    )
    transaction.on_commit(lambda: send_soon(ids), robust=True)
    return len(ids)


def _candidate_id(instance) -> int | None:
    from candidates.models import Candidate

    return instance.pk if isinstance(instance, Candidate) else getattr(instance, "candidate_id", None)


def _ids(instance) -> dict:
    ids = {"id": instance.pk}
    if (candidate_id := getattr(instance, "candidate_id", None)) is not None:
        ids["candidateId"] = candidate_id
    return ids


def _api_form(instance) -> dict:
    from candidates.models import Candidate
    from candidates.serializers import CandidateSerializer
    from interviews.serializers import InterviewSerializer

    serializer = CandidateSerializer if isinstance(instance, Candidate) else InterviewSerializer
    return orjson.loads(_renderer.render(serializer(instance).data))
