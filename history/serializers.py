"""The wire form of a history record."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from history.models import HistoryRecord

CHANGE = {
    "type": "object",
    "properties": {"from": {"nullable": True}, "to": {"nullable": True}},
    "required": ["from", "to"],
}


@extend_schema_field(
    {"type": "object", "additionalProperties": CHANGE, "example": {"status": {"from": "New", "to": "Screened"}}}
)
class ChangesField(serializers.JSONField):
    """{field: {"from", "to"}} with the API's field names; a value erased with its person is null."""


class HistoryRecordSerializer(serializers.ModelSerializer):
    """One change: when, who (a username, or null for the system), through what, what, and the fields it changed."""

    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    changes = ChangesField(read_only=True)

    class Meta:
        model = HistoryRecord
        fields = ["at", "actor", "via", "action", "changes"]
        read_only_fields = fields
