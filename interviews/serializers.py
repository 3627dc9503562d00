"""The wire form of an interview, field for field the contract's `Interview`."""

from rest_framework import serializers

from candidates.models import Candidate
from interviews.models import Interview
from recruitos.serializers import ContractModelSerializer


class InterviewSerializer(ContractModelSerializer):
    """Validates interview input; `candidateId` must name an existing candidate."""

    candidate_id = serializers.PrimaryKeyRelatedField(
        source="candidate",
        queryset=Candidate.objects.all(),
        error_messages={
            "does_not_exist": "Candidate {pk_value} not found.",
            "incorrect_type": "A candidate id is an integer.",
        },
    )

    class Meta:
        model = Interview
        fields = [
            "id", "candidate_id", "type", "scheduled_date", "duration", "interviewer", "status",
            "notes", "rating",
        ]  # fmt: skip
        read_only_fields = ["id"]
