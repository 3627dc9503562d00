"""`GET /api/candidates/{id}/history` and `GET /api/interviews/{id}/history`."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import GenericAPIView

from candidates.models import Candidate
from history.models import HistoryRecord
from history.serializers import HistoryRecordSerializer
from interviews.models import Interview
from recruitos import entities
from recruitos.schema import SIGNED_IN, errors
from recruitos.viewsets import integer_id

DESCRIPTION = "The changes of one row, newest first; a deleted row's too. Paged as the lists are."


class HistoryView(GenericAPIView):
    """
    The changes of one row (of `queryset`'s model), newest first, paged as the lists are. It
    outlives the row: a deleted one's history is read by its id (404 only when there is neither a
    row nor a record), with the permission to view the row's model.
    """

    serializer_class = HistoryRecordSerializer
    filter_backends = []
    lists_rows = True  # paged as `list` is (recruitos.schema)

    def get(self, request, pk=None):
        model = self.get_queryset().model
        object_id = integer_id(pk)
        records = HistoryRecord.objects.about(entities.of(model).name, object_id).select_related("actor")
        page = self.paginate_queryset(records)
        if not page and not self.paginator.offset and not model._default_manager.filter(pk=object_id).exists():
            raise Http404
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _schema(operation_id: str):
    return extend_schema_view(
        get=extend_schema(
            operation_id=operation_id,
            description=DESCRIPTION,
            responses={200: HistoryRecordSerializer(many=True), **errors(404, *SIGNED_IN)},
        )
    )


@_schema("candidates_history_list")
class CandidateHistoryView(HistoryView):
    queryset = Candidate.objects.all()


@_schema("interviews_history_list")
class InterviewHistoryView(HistoryView):
    queryset = Interview.objects.all()
