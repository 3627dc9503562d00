"""The contract's `/api/interviews` endpoints."""

from interviews.filtersets import InterviewFilterSet
from interviews.models import Interview
from interviews.serializers import InterviewSerializer
from interviews.services import interview_create, interview_delete, interview_update
from recruitos.viewsets import ServiceModelViewSet


class InterviewViewSet(ServiceModelViewSet):
    """Interviews in `scheduledDate` order (then id), filtered by candidate, day, status, interviewer."""

    queryset = Interview.objects.order_by("scheduled_date", "id")
    serializer_class = InterviewSerializer
    filterset_class = InterviewFilterSet
    create_service = staticmethod(interview_create)
    update_service = staticmethod(interview_update)
    delete_service = staticmethod(interview_delete)
