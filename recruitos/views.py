"""Project-level API views: the health check for load balancers, and the OpenAPI document."""

import logging

from django.db import DatabaseError, connection, models
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger("recruitos.api")


class HealthState(models.TextChoices):
    OK = "ok", "OK"
    UNAVAILABLE = "unavailable", "Unavailable"


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=HealthState.choices)
    database = serializers.ChoiceField(choices=HealthState.choices)


class HealthView(APIView):
    """`GET /api/health`, without a key: 200 while the database answers, else 503."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer}, auth=[])
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as exc:
            logger.warning("Health check: the database does not answer: %s", exc)
            body = {"status": HealthState.UNAVAILABLE, "database": HealthState.UNAVAILABLE}
            return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"status": HealthState.OK, "database": HealthState.OK})


class FormatParameterNegotiation(DefaultContentNegotiation):
    """
    DRF's content negotiation, with `?format=json` or `?format=yaml` choosing the document's
    form. The API itself ignores `?format=` (URL_FORMAT_OVERRIDE is off); the schema honours it,
    as its README promises.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        return super().select_renderer(request, renderers, format_suffix or request.query_params.get("format"))


class SchemaView(SpectacularAPIView):
    """`/api/schema/`: YAML by default, JSON for `Accept: application/json` or `?format=json`."""

    content_negotiation_class = FormatParameterNegotiation
