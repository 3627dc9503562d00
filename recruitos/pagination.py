"""
Pagination as the contract has it: a plain JSON array, `limit`/`offset` query
parameters, and the number of matching rows in the `X-Total-Count` header.

Unlike DRF's LimitOffsetPagination, an out-of-range or non-integer `limit` or
`offset` is a 400 naming the parameter, never silently clamped.
"""

from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

MAX_BIGINT = 2**63 - 1

TOTAL_COUNT_HEADER = "X-Total-Count"


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset pagination that validates its parameters; the total goes in a header."""

    default_limit = 50
    max_limit = 100

    def get_limit(self, request):
        field = serializers.IntegerField(min_value=1, max_value=self.max_limit)
        return self._read_parameter(request, self.limit_query_param, field, self.default_limit)

    def get_offset(self, request):
        field = serializers.IntegerField(min_value=0, max_value=MAX_BIGINT)
        return self._read_parameter(request, self.offset_query_param, field, 0)

    def paginate_queryset(self, queryset, request, view=None):
        if not hasattr(queryset, "page"):  # a plain queryset
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        rows, self.count = queryset.page(self.offset, self.offset + self.limit)  # recruitos.viewsets.RowList
        return rows

    def get_paginated_response(self, data):
        return Response(data, headers={TOTAL_COUNT_HEADER: str(self.count)})

    def get_paginated_response_schema(self, schema):
        return schema

    def get_schema_operation_parameters(self, view):
        return [
            self._parameter(self.limit_query_param, "How many rows to return.", 1, self.max_limit, self.default_limit),
            self._parameter(self.offset_query_param, "How many matching rows to skip.", 0, MAX_BIGINT, 0),
        ]

    @staticmethod
    def _parameter(name, description, minimum, maximum, default):
        schema = {"type": "integer", "minimum": minimum, "maximum": maximum, "default": default}
        return {"name": name, "required": False, "in": "query", "description": description, "schema": schema}

    @staticmethod
    def _read_parameter(request, name, field, default):
        """Validate one query parameter with a serializer field; missing or empty means default."""
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        try:
            return field.run_validation(raw)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({name: exc.detail}) from exc


class UncountedLimitOffsetPagination(StrictLimitOffsetPagination):
    """
    The same parameters for an append-only feed, without `X-Total-Count`.

    Counting a feed that only grows costs a scan of all of it on every read; a client
    pages until a page comes back shorter than `limit`.
    """

    default_limit = 20

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        return list(queryset[self.offset : self.offset + self.limit])

    def get_paginated_response(self, data):
        return Response(data)
