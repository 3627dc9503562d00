"""
The OpenAPI description of the wire format, as it really is (drf-spectacular).

`ContractAutoSchema` adds what every operation shares: the contract's error bodies
(400, 401, 403, 404, 429) and the `X-Total-Count` header of counted lists.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.mixins import ListModelMixin

from recruitos.pagination import TOTAL_COUNT_HEADER, StrictLimitOffsetPagination, UncountedLimitOffsetPagination


class ErrorSerializer(serializers.Serializer):
    """Every error but a validation error: `{"detail": "…"}`."""

    detail = serializers.CharField()


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The camelCase field or query parameter; `body` for the body as a whole.")
    message = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    """A 400: `{"detail": "Validation error", "errors": [{"field": …, "message": …}]}`."""

    detail = serializers.CharField()
    errors = FieldErrorSerializer(many=True)


#: The contract's error bodies by status, for operations that declare their responses in full
#: (`@extend_schema(responses=…)` replaces what ContractAutoSchema would add).
ERROR_BODIES = {
    400: ValidationErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
    409: ValidationErrorSerializer, 429: ErrorSerializer, 503: ErrorSerializer,
}  # fmt: skip
#: What any operation that needs a key or a session may answer.
SIGNED_IN = (401, 403, 429, 503)


def errors(*codes: int) -> dict:
    """{code: body} of these statuses, for `@extend_schema(responses={200: …, **errors(400, *SIGNED_IN)})`."""
    return {code: ERROR_BODIES[code] for code in codes}


class ContractAutoSchema(AutoSchema):
    """AutoSchema with the contract's shared error responses and list header, through its public hooks."""

    def get_response_serializers(self):
        """The operation's own responses, then the contract's errors that it can answer."""
        declared = super().get_response_serializers()
        if isinstance(declared, dict):  # @extend_schema(responses={code: ...})
            responses = dict(declared)
        elif self.method == "DELETE":
            responses = {204: None}
        else:
            responses = {201 if self.method == "POST" else 200: declared}
        for code, serializer in self._error_responses().items():
            responses.setdefault(code, serializer)
        return responses

    def get_filter_backends(self):
        """As AutoSchema's, and for a list written in another format (a calendar), whose body is a string."""
        if self.method == "GET" and isinstance(self.view, ListModelMixin) and not self._is_list():
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_counted_list():
            parameters.append(
                OpenApiParameter(
                    TOTAL_COUNT_HEADER,
                    OpenApiTypes.INT,
                    location=OpenApiParameter.HEADER,
                    response=[200],
                    description="The number of rows that match the filters, whatever limit and offset say.",
                )
            )
        return parameters

    def _is_list(self) -> bool:
        """A GET of rows paged as the lists are: `list`, or an action that says so (`lists_rows=True`)."""
        return self.method == "GET" and (
            getattr(self.view, "action", None) == "list" or getattr(self.view, "lists_rows", False)
        )

    def _is_counted_list(self) -> bool:
        paginator = getattr(self.view, "pagination_class", None)
        return (
            self._is_list()
            and paginator is not None
            and issubclass(paginator, StrictLimitOffsetPagination)
            and not issubclass(paginator, UncountedLimitOffsetPagination)
        )

    def _error_responses(self) -> dict:
        errors = {}
        if self.method in ("POST", "PUT", "PATCH") or self._is_list():
            errors[400] = ValidationErrorSerializer
        if getattr(self.view, "authentication_classes", None):
            errors[401] = ErrorSerializer
            errors[403] = ErrorSerializer
            errors[429] = ErrorSerializer
            errors[503] = ErrorSerializer  # the database is not answering
        if "{id}" in self.path:
            errors[404] = ErrorSerializer
        return errors


def contract_paths(endpoints):
    """Preprocessing hook: document the contract's URLs, without the optional trailing slash."""
    return [(path.rstrip("/") or path, regex, method, callback) for path, regex, method, callback in endpoints]
