"""
Webhook subscriptions and their outbox.

A change writes one `Delivery` per subscription that wants its event, in the change's own
transaction (`webhooks.outbox`); a worker sends it (`webhooks.tasks`) and logs each `Attempt`.
A delivery's body is fixed when it is written, so every attempt sends the same bytes under the
same `webhook-id`.
"""

import base64
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from candidates.events import CandidateEvent, SyncEvent
from interviews.events import InterviewEvent
from recruitos.leases import Leased
from recruitos.text import PlainText


class EventType(models.TextChoices):
    """The event types a subscription can ask for: those of the entities' rules (`*/events.py`) that are sent."""

    CANDIDATE_CREATED = CandidateEvent.CREATED.value
    CANDIDATE_UPDATED = CandidateEvent.UPDATED.value
    CANDIDATE_STATUS_CHANGED = CandidateEvent.STATUS_CHANGED.value
    CANDIDATE_HIRED = CandidateEvent.HIRED.value
    CANDIDATE_DELETED = CandidateEvent.DELETED.value
    CANDIDATE_ANONYMIZED = CandidateEvent.ANONYMIZED.value
    INTERVIEW_SCHEDULED = InterviewEvent.SCHEDULED.value
    INTERVIEW_RESCHEDULED = InterviewEvent.RESCHEDULED.value
    INTERVIEW_COMPLETED = InterviewEvent.COMPLETED.value
    INTERVIEW_CANCELLED = InterviewEvent.CANCELLED.value
    INTERVIEW_DELETED = InterviewEvent.DELETED.value
    IMPORT_FINISHED = SyncEvent.FINISHED.value

    @property
    def ids_only(self) -> bool:
        """A deletion's body holds ids only: what it was about is gone."""
        return self in (EventType.CANDIDATE_DELETED, EventType.INTERVIEW_DELETED)


#: What a subscription's owner must hold to receive an event type: the permissions to read, through
#: the API, what its body holds (an import's jobs are read by those who may import).
EVENT_PERMISSIONS = {
    "candidate": ("candidates.view_candidate",),
    "interview": ("interviews.view_interview",),
    "import": ("candidates.add_candidate", "candidates.change_candidate"),
}


#: The refusal of events a subscription's owner may not receive.
OWNER_MAY_NOT = "The subscription's owner may not read what these events carry: {} needed."


def missing_permissions(user, events) -> list[str]:
    """The permissions `user` lacks to receive `events` (every one, for no user or an inactive one), sorted."""
    needed = {permission for event in events for permission in EVENT_PERMISSIONS[event.split(".", 1)[0]]}
    if user is None or not user.is_active:
        return sorted(needed)
    return sorted(permission for permission in needed if not user.has_perm(permission))


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Subscription(models.Model):
    url = models.URLField(max_length=2000, help_text="https, on a public address.", validators=[PlainText()])
    events = models.JSONField(default=list, help_text="The event types to send.")
    active = models.BooleanField(default=True)
    minimal_payload = models.BooleanField(default=False, help_text="Send ids only, not the whole object.")
    description = models.CharField(max_length=255, blank=True, default="", validators=[PlainText()])
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consecutive_failures = models.PositiveIntegerField(default=0, help_text="Failed attempts since the last success.")
    failing_since = models.DateTimeField(null=True, blank=True, help_text="The first of those failures.")
    last_success_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=255, blank=True, default="", help_text="Why it was turned off.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["id"], name="subscription_active", condition=models.Q(active=True))]

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class Delivery(Leased):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    body = models.TextField(help_text="The JSON sent: type, timestamp and data.")
    object_id = models.BigIntegerField(null=True, blank=True, help_text="The id of what the event is about.")
    # Whose personal data the body may hold, for erasure (it follows an interview that moves to
    # another candidate); no constraint: it outlives the candidate.
    candidate = models.ForeignKey(
        "candidates.Candidate",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    requeued_at = models.DateTimeField(null=True, blank=True, help_text="When the sweeper last queued it.")
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["-created_at"], name="delivery_newest_first"),
            # The sweeper's search: pending deliveries by when they are due.
            models.Index(fields=["next_attempt_at"], name="delivery_due", condition=models.Q(status="pending")),
            models.Index(fields=["candidate"], name="delivery_of_candidate"),
        ]

    def __str__(self):
        return f"{self.event_type} to {self.subscription_id} ({self.status})"

    @property
    def message_id(self) -> str:
        """The `webhook-id` header: the same on every attempt, for receivers to deduplicate by."""
        return f"msg_{self.id.hex}"


class Attempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=255, blank=True, default="", help_text="Timeout, refused connection, …")
    response_excerpt = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
