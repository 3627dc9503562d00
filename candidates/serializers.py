"""The wire form of a candidate, field for field the contract's `Candidate`."""

from rest_framework import serializers

from candidates.models import Candidate
from candidates.services import EMAIL_TAKEN
from recruitos.serializers import ContractModelSerializer


class CandidateSerializer(ContractModelSerializer):
    """Validates candidate input; `id`, `appliedDate` and `lastUpdated` are set by the server."""

    class Meta:
        model = Candidate
        fields = [
            "id", "first_name", "last_name", "email", "phone", "position", "phase", "status",
            "source", "applied_date", "last_updated", "skills", "experience", "notes",
            "resume_url", "linkedin_url",
        ]  # fmt: skip
        read_only_fields = ["id", "applied_date", "last_updated"]

    def validate_email(self, value: str) -> str:
        others = Candidate.objects.with_email(value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(EMAIL_TAKEN)
        return value
