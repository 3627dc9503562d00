"""`GET /api/reports/pipeline`: the pipeline report, as JSON or CSV."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from candidates.models import Candidate
from recruitos.permissions import ModelPermissions
from recruitos.renderers import CamelCaseORJSONRenderer
from recruitos.schema import SIGNED_IN, errors
from reports.renderers import PipelineCSVRenderer
from reports.selectors import Window, pipeline_report
from reports.serializers import PipelineQuerySerializer, PipelineReportSerializer


class PipelineReportView(GenericAPIView):
    """
    The funnel, time in stage, time to hire, sources and interviewers of the candidates who
    applied in the window; for users who may view candidates. `?format=csv` gives the same tables as CSV.
    """

    queryset = Candidate.objects.all()  # whose permission to view the report needs
    permission_classes = [ModelPermissions]
    renderer_classes = [CamelCaseORJSONRenderer]
    filter_backends = []
    pagination_class = None

    @extend_schema(
        operation_id="reports_pipeline",
        tags=["reports"],
        parameters=[PipelineQuerySerializer],
        responses={
            (200, "application/json"): PipelineReportSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            **errors(400, *SIGNED_IN),
        },
    )
    def get(self, request):
        query = PipelineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        window = Window(values["from"], values["to"], values.get("position"), values.get("source"))
        report = {**window.query(), **pipeline_report(window)}
        if values.get("format") != "csv":
            return Response(report)
        # Chosen here, after the query is valid, so that errors stay JSON (URL_FORMAT_OVERRIDE is off).
        request.accepted_renderer, request.accepted_media_type = PipelineCSVRenderer(), PipelineCSVRenderer.media_type
        disposition = f'attachment; filename="pipeline-{window.start}-{window.end}.csv"'
        return Response(report, headers={"Content-Disposition": disposition})
