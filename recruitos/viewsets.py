"""
The base viewset every model endpoint uses.

Writes go through service functions (`<entity>_create`, `<entity>_update`,
`<entity>_delete`), so the API, the admin and the management commands share one
implementation of each rule. PUT is a partial update, as the contract's `*Update` models
say, and PATCH is accepted the same way.

Lists skip the serializer for its fields that are columns: they fetch exactly those as plain
values and hand them to the renderer, which is where a list spent most of its time. A field the
serializer computes (a property, a method field) is computed by the serializer's own field from
the row read whole (`ListShape`). The answer to a read by id, a create or an update takes the
object's values the same way (`represent`). The result is the serializer's representation
(tests hold the two equal). Validation is the serializer's; a read by id is DRF's own
(`get_object`, object permissions).
"""

from functools import cache

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from recruitos.changes import Via
from recruitos.naming import camel_name, concrete_fields
from recruitos.pagination import MAX_BIGINT
from recruitos.renderers import CamelCased
from recruitos.sql import fetch_rows, fetch_value


class ServiceModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """
    A model viewset whose writes call services.

    Subclasses set `create_service`, `update_service` and `delete_service` (wrapped in
    `staticmethod`) besides the usual `queryset`, `serializer_class` and `filterset_class`.
    """

    create_service = None
    update_service = None
    delete_service = None
    # Any path segment reaches the view, so /api/candidates/0.5 is "Candidate not found".
    lookup_value_regex = "[^/]+"
    # An action that pages rows as `list` does sets it (`@action(…, lists_rows=True)`), for the schema.
    lists_rows = False

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(self._rows(queryset))
        return self.get_paginated_response(page)

    def get_object(self):
        """
        As DRF's: the row the URL names from `filter_queryset(get_queryset())`, a 404 when it is
        missing or the id is not one, then the view's object permissions. The read's SQL is
        compiled once (`recruitos.sql.fetch_rows`) rather than for every request.
        """
        queryset = self.filter_queryset(self.get_queryset())
        lookup = {self.lookup_field: integer_id(self.kwargs[self.lookup_url_kwarg or self.lookup_field])}
        fields = concrete_fields(queryset.model)
        rows = fetch_rows(queryset.filter(**lookup), fields, 0, 1)
        if not rows:
            raise Http404
        instance = queryset.model.from_db(queryset.db, fields, rows[0])
        self.check_object_permissions(self.request, instance)
        return instance

    def filter_queryset(self, queryset):
        """The list's query parameters filter lists only: a read, update or delete by id ignores them."""
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _rows(self, queryset):
        """A lazy list of the queryset's rows as dicts of the serializer's fields, keyed as the API writes them."""
        page = getattr(getattr(self, "filterset", None), "page", None)
        shape = list_shape(self.get_serializer_class())
        return RowList(queryset, shape, count=lambda: self.count_rows(queryset), page=page)

    def count_rows(self, queryset) -> int:
        """How many rows match: the FilterSet's own `count()` where it has one (exact, faster), else COUNT."""
        filterset = getattr(self, "filterset", None)
        return filterset.count() if hasattr(filterset, "count") else fetch_value(queryset, Count("*"))

    def retrieve(self, request, *args, **kwargs):
        return Response(self.represent(self.get_object()))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self.represent(serializer.instance), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        """PUT and PATCH alike: a partial update."""
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self.represent(serializer.instance))

    def represent(self, instance) -> dict:
        """The object as the serializer writes it: its columns' values as they are (`ListShape`)."""
        shape = list_shape(self.get_serializer_class())
        if shape.computed:
            return self.get_serializer(instance).data
        return local_times(CamelCased(zip(shape.names, (getattr(instance, c) for c in shape.columns), strict=True)))

    def perform_create(self, serializer):
        serializer.instance = self.create_service(data=serializer.validated_data, actor=self.request.user, via=Via.API)

    def perform_update(self, serializer):
        serializer.instance = self.update_service(
            instance=serializer.instance, data=serializer.validated_data, actor=self.request.user, via=Via.API
        )

    def perform_destroy(self, instance):
        self.delete_service(instance=instance, actor=self.request.user, via=Via.API)


class IdLookupMixin:
    """For a GenericViewSet keyed by integer ids: any other `{id}` ("abc", 0.5, 2^70) is a 404, never a query."""

    lookup_value_regex = "[^/]+"

    def get_object(self):
        integer_id(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        return super().get_object()


def integer_id(value) -> int:
    """
    A URL's `{id}` as a row's key: ASCII digits only, 1 to 2^63 - 1; Http404 for anything else
    (`int()` would take "1_0" for 10, " 1", "+1", and the digits of every script: U+FF11, U+0661).
    """
    if not (isinstance(value, str) and value.isascii() and value.isdigit()):
        raise Http404
    number = int(value)
    if not 1 <= number <= MAX_BIGINT:
        raise Http404
    return number


class ListShape:
    """
    How a list reads its serializer's fields: `names` as the API writes them (camelCase), and the
    `columns` it selects. A field that is a model column is its column's value; one the serializer
    computes (from a property, a method) makes the list read every column and computes it with the
    serializer's own field from the row, as the serializer would.
    """

    def __init__(self, serializer_class):
        self.model = serializer_class.Meta.model
        fields = serializer_class().fields
        self.names = tuple(camel_name(name) for name in fields)
        plain = [_column(self.model, field) for field in fields.values()]
        self.computed = {position: field for position, field in enumerate(fields.values()) if plain[position] is None}
        self.columns = concrete_fields(self.model) if self.computed else tuple(plain)
        self.positions = [None if column is None else self.columns.index(column) for column in plain]

    def row(self, values, using) -> dict:
        """A row of a list with computed fields (RowList reads the others' values as they are)."""
        instance = self.model.from_db(using, self.columns, values)
        return CamelCased(
            (name, _computed(self.computed[position], instance) if at is None else values[at])
            for position, (name, at) in enumerate(zip(self.names, self.positions, strict=True))
        )


@cache
def list_shape(serializer_class) -> ListShape:
    return ListShape(serializer_class)


INTEGERS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
            "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField"}  # fmt: skip
#: The serializer fields that show a column's value as it is (as the renderer writes it), and the
#: model fields (their internal types) they show so; None: any (a choice shows its stored value).
PLAIN = {
    serializers.ChoiceField: None,
    serializers.CharField: {"CharField", "TextField"},
    serializers.BigIntegerField: INTEGERS,
    serializers.IntegerField: INTEGERS,
    serializers.FloatField: {"FloatField"},
    serializers.BooleanField: {"BooleanField"},
    serializers.DateTimeField: {"DateTimeField"},
    serializers.UUIDField: {"UUIDField"},
    serializers.PrimaryKeyRelatedField: {"ForeignKey", "OneToOneField"},
}


def _column(model, field) -> str | None:
    """The column a serializer field shows as it is (None: the serializer's field computes what it shows)."""
    base = next((base for base in PLAIN if isinstance(field, base)), None)
    if base is None or type(field).to_representation is not base.to_representation:
        return None  # its own representation (a decimal as text, a slug of a related row, …)
    if getattr(field, "format", serializers.empty) is not serializers.empty or getattr(field, "pk_field", None):
        return None
    as_text = getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    if (base is serializers.BigIntegerField and as_text) or not field.source or "." in field.source:
        return None
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None  # a property, a method's
    kinds = PLAIN[base]
    if not model_field.concrete or (kinds is not None and model_field.get_internal_type() not in kinds):
        return None  # shown otherwise than stored (an integer as text, …)
    return model_field.attname


def _computed(field, instance):
    attribute = field.get_attribute(instance)
    return None if attribute is None else field.to_representation(attribute)


class RowList:
    """
    Slices of a queryset's rows in a `ListShape`, each turned into a dict as it is read.

    `page(low, high)`, the paginator's way in, gives a page and the number of matching rows.
    By default that is a slice, and a count unless the slice is the last page; a FilterSet
    whose `page(low, high, columns)` returns the page's rows (tuples of `columns`) and the total,
    or None for it (a page in an order of its own), is asked first, and declines with None.
    """

    def __init__(self, queryset, shape: ListShape, count, page=None):
        self.queryset, self.shape, self.columns, self._count, self._page = queryset, shape, shape.columns, count, page
        self.local_time = settings.TIME_ZONE != "UTC"  # DRF writes datetimes in TIME_ZONE

    def count(self):
        return self._count()

    def page(self, low, high) -> tuple[list, int]:
        """Rows [low:high] and how many rows match in all."""
        total = None
        if self._page is not None and (found := self._page(low, high, self.columns)) is not None:
            rows, total = found
            rows = [self._row(row) for row in rows]
        else:
            rows = self[low:high]
        if total is None and len(rows) < high - low and (rows or not low):
            total = low + len(rows)  # the last page: the total is known without counting
        return rows, self.count() if total is None else total

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if index.step is not None or (index.start or 0) < 0 or (index.stop or 0) < 0:
            raise ValueError("RowList takes forward slices only")
        return [self._row(row) for row in fetch_rows(self.queryset, self.columns, index.start or 0, index.stop)]

    def _row(self, values):
        if self.shape.computed:
            row = self.shape.row(values, self.queryset.db)
        else:  # the usual list: its values as they are (this runs for every row)
            row = CamelCased(zip(self.shape.names, values, strict=True))
        return local_times(row) if self.local_time else row


def local_times(row: dict) -> dict:
    """Datetimes in TIME_ZONE, as DRF writes them (nothing to do where that is UTC)."""
    if settings.TIME_ZONE != "UTC":
        for name, value in row.items():
            if hasattr(value, "tzinfo") and value.tzinfo is not None:
                row[name] = timezone.localtime(value)
    return row
