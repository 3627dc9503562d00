"""The contract's `/api/candidates` endpoints."""

from candidates.filtersets import CandidateFilterSet
from candidates.models import Candidate
from candidates.serializers import CandidateSerializer
from candidates.services import candidate_create, candidate_delete, candidate_update
from recruitos.viewsets import ServiceModelViewSet


class CandidateViewSet(ServiceModelViewSet):
    """Candidates, newest `appliedDate` first (then newest id), filtered by phase, status, source, search."""

    queryset = Candidate.objects.order_by("-applied_date", "-id")
    serializer_class = CandidateSerializer
    filterset_class = CandidateFilterSet
    create_service = staticmethod(candidate_create)
    update_service = staticmethod(candidate_update)
    delete_service = staticmethod(candidate_delete)
