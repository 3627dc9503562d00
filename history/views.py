"""`GET /api/candidates/{id}/history` and `GET /api/interviews/{id}/history`."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from history.models import HistoryRecord
from history.serializers import HistoryRecordSerializer
from history.services import SUBJECTS
from recruitos.schema import SIGNED_IN, errors
from recruitos.viewsets import integer_id


class HistoryMixin:
    """
    Adds `GET …/{id}/history` to a model viewset: the changes of one row, newest first, paged as
    the lists are. It outlives the row: a deleted one's history is read by its id (404 only when
    there is neither a row nor a record), with the viewset's permission to view.
    """

    @extend_schema(
        description="The changes of one row, newest first; a deleted row's too. Paged as the lists are.",
        responses={200: HistoryRecordSerializer(many=True), **errors(404, *SIGNED_IN)},
    )
    @action(detail=True, filter_backends=[], serializer_class=HistoryRecordSerializer, lists_rows=True)
    def history(self, request, pk=None):
        model = self.queryset.model
        object_id = integer_id(pk)
        records = HistoryRecord.objects.about(SUBJECTS[model], object_id).select_related("actor")
        page = self.paginate_queryset(records)
        if not page and not self.paginator.offset and not model._default_manager.filter(pk=object_id).exists():
            raise Http404
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
