"""The wire form of a candidate, field for field the contract's `Candidate`."""

from candidates.models import CANDIDATE_FIELDS, Candidate
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
        fields = CANDIDATE_FIELDS.names()
        read_only_fields = CANDIDATE_FIELDS.names(read_only=True)
