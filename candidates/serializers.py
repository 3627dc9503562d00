"""The wire form of a candidate, field for field the contract's `Candidate`."""

from candidates.models import Candidate
from recruitos.serializers import ContractModelSerializer


class CandidateSerializer(ContractModelSerializer):
    """
    Validates candidate input; `id`, `appliedDate` and `lastUpdated` are set by the server.

    A taken email (ignoring case) is found by the database's unique constraint when the
    service saves, not by a query beforehand: one round trip less per write, and no window
    between a check and the insert (`candidates.services._save` makes it a 400 on `email`).
    """

    class Meta:
        model = Candidate
        fields = [
            "id", "first_name", "last_name", "email", "phone", "position", "phase", "status",
            "source", "applied_date", "last_updated", "skills", "experience", "notes",
            "resume_url", "linkedin_url",
        ]  # fmt: skip
        read_only_fields = ["id", "applied_date", "last_updated"]
