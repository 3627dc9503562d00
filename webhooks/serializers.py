"""The wire form of a webhook subscription; its secret appears once, in the answer that creates it."""

from rest_framework import serializers

from recruitos.text import PlainText
from webhooks.addresses import ForbiddenAddress, target
from webhooks.models import OWNER_MAY_NOT, EventType, Subscription, missing_permissions


class WebhookURLField(serializers.URLField):
    """An https URL whose host resolves to public addresses only (webhooks.addresses)."""

    def to_internal_value(self, data):
        url = super().to_internal_value(data)
        try:
            target(url)
        except ForbiddenAddress as exc:
            raise serializers.ValidationError(f"Not allowed: {exc}.") from exc
        return url


class SubscriptionSerializer(serializers.ModelSerializer):
    url = WebhookURLField(max_length=2000, validators=[PlainText()])
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), allow_empty=False, max_length=len(EventType)
    )
    description = serializers.CharField(max_length=255, allow_blank=True, required=False, validators=[PlainText()])

    class Meta:
        model = Subscription
        fields = [
            "id", "url", "events", "active", "minimal_payload", "description", "created_at",
            "consecutive_failures", "last_success_at", "disabled_reason",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at", "consecutive_failures", "last_success_at", "disabled_reason"]

    def validate_events(self, value):
        return sorted(set(value), key=list(EventType.values).index)

    def validate(self, attrs):
        """A subscription sends only what its owner (who made it) may read: the events they may not are refused."""
        owner = self.instance.created_by if self.instance is not None else self.context["request"].user
        events = attrs.get("events", self.instance.events if self.instance is not None else [])
        if missing := missing_permissions(owner, events):
            raise serializers.ValidationError({"events": OWNER_MAY_NOT.format(", ".join(missing))})
        return attrs


class NewSubscriptionSerializer(SubscriptionSerializer):
    """The answer to a create: the subscription and, this once, its signing secret."""

    secret = serializers.CharField(
        read_only=True, help_text="The Standard Webhooks signing secret (`whsec_…`); shown only now."
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]
