"""
The outbox: webhook deliveries written in the same transaction as the change they announce.

The webhooks app registers `Outbox`, which follows every statement of what changed
(`recruitos.changes`): one `Delivery` per active subscription that wants each of the change's
event types (its entity's rule), with its body fixed; after the commit the deliveries are
queued (`webhooks.tasks.deliver`). A change rolled back takes its deliveries with it; a
committed one always has them, and the sweeper sends any the queue lost. Erasing a person
nulls their values in every body about them; a delivery about an interview follows it to its
current candidate.
"""

from collections import defaultdict

import orjson
from django.db import transaction
from django.utils import timezone

from recruitos import entities
from recruitos.changes import Change, Handler, Reason
from recruitos.dates import utc_text
from recruitos.leases import ENDED, free
from recruitos.renderers import CamelCaseORJSONRenderer
from webhooks.known import active_subscriptions
from webhooks.models import Attempt, Delivery, DeliveryStatus, EventType
from webhooks.tasks import send_soon

_renderer = CamelCaseORJSONRenderer()
EVENT_TYPES = frozenset(EventType.values)


class Outbox(Handler):
    """Registered by the webhooks app: the deliveries of each change's events, and their erasure."""

    needs_ids = True  # a body is the object's API form, its id included

    def wants(self, change: Change) -> bool:
        return any(event in types for _, types, _ in active_subscriptions() for event in _sent(change))

    def rows(self, changes: list[Change]) -> list:
        if not (subscriptions := active_subscriptions()):
            return []
        rows = []
        for change in changes:
            for event in _sent(change):
                if event not in EVENT_TYPES:
                    continue
                for subscription_id, types, minimal in subscriptions:
                    if event in types:
                        rows.append((_delivery(change, EventType(event), subscription_id, minimal), ()))
        return rows

    def stored(self, changes: list[Change], rows: list) -> None:
        for (entity, candidate_id, moved_to), ids in _rekeys(changes).items():
            about = Delivery.objects.filter(
                candidate_id=candidate_id, object_id__in=ids, event_type__startswith=f"{entity}."
            )
            about.update(candidate_id=moved_to)
        if erased := _erases(changes):
            erase(candidate_ids=sorted(erased), keep=[row.pk for row in rows])
        queue_after_commit(rows)


def _sent(change: Change) -> tuple[str, ...]:
    """The change's events that are announced: none of back-dated demo data (a body is the object now)."""
    return () if change.reason == Reason.SEEDED else change.events


def _delivery(change: Change, event: EventType, subscription_id: int, minimal: bool) -> Delivery:
    instance = change.instance
    if minimal or event.ids_only:
        data = {"id": instance.pk}
        if (candidate_id := getattr(instance, "candidate_id", None)) is not None:
            data["candidateId"] = candidate_id
    else:
        data = change.api_form
    body = {"type": event.value, "timestamp": utc_text(change.at), "data": data}
    return Delivery(
        subscription_id=subscription_id,
        event_type=event,
        body=_renderer.render(body).decode(),
        object_id=instance.pk,
        candidate_id=change.person,
        created_at=change.at,
        next_attempt_at=change.at,
    )


def _rekeys(changes: list[Change]) -> dict[tuple[str, int, int], list[int]]:
    """{(entity, candidate before, after): ids} of the objects about a person (interviews) that moved to another one."""
    moved = defaultdict(list)
    for change in changes:
        if change.instance is not None and change.moved("candidate_id") and not change.entity.is_person():
            moved[(change.entity.name, *change.fields["candidate_id"])].append(change.instance.pk)
    return moved


def _erases(changes: list[Change]) -> set[int]:
    return {change.person for change in changes if change.erase}


def queue_after_commit(rows: list[Delivery]) -> None:
    """Once the transaction that stores `rows` commits, queue them for sending."""
    if rows:
        ids = [str(row.pk) for row in rows]
        transaction.on_commit(lambda: send_soon(ids), robust=True)  # queue down: the sweeper sends them later


def erase(*, candidate_ids: list[int], keep: list = ()) -> int:
    """
    Null the personal values in every delivery about these candidates (but those in `keep`, just
    written without them) and drop their receivers' answers.
    """
    personal = {entity.name: entity.personal_api_names for entity in entities.known()}
    erased = []
    about = Delivery.objects.filter(candidate_id__in=candidate_ids).exclude(pk__in=keep).only("body", "event_type")
    for delivery in about:
        body = orjson.loads(delivery.body)
        data = body.get("data") or {}
        found = [key for key in personal.get(delivery.event_type.split(".")[0], ()) if data.get(key) is not None]
        if found:
            data.update(dict.fromkeys(found))
            delivery.body = orjson.dumps(body).decode()
            erased.append(delivery)
    Delivery.objects.bulk_update(erased, ["body"], batch_size=500)
    Attempt.objects.filter(delivery__candidate_id__in=candidate_ids).exclude(response_excerpt="").update(
        response_excerpt=""
    )
    return len(erased)


def redeliver(queryset) -> int:
    """
    Send these deliveries again now, whatever became of them (the admin's action), but those a
    runner holds this moment: their attempt is under way, its outcome about to be written.
    """
    ids = [str(pk) for pk in queryset.filter(free()).values_list("pk", flat=True)]
    now = timezone.now()
    Delivery.objects.filter(free(), pk__in=ids).update(  # checked again on each row as it is written
        status=DeliveryStatus.PENDING, next_attempt_at=now, attempts=0, delivered_at=None, **ENDED
    )
    transaction.on_commit(lambda: send_soon(ids), robust=True)
    return len(ids)
