"""Query parameters of `GET /api/candidates`."""

from django.db.models import Q, Value
from django.db.models.functions import Concat
from django_filters import rest_framework as filters

from candidates.models import Candidate, Phase, Source, Status
from recruitos.filters import CaseInsensitiveChoiceFilter

MAX_SEARCH_LENGTH = 200


class CandidateFilterSet(filters.FilterSet):
    """`phase`, `status`, `source` match exactly; `search` is a case-insensitive substring."""

    phase = filters.TypedChoiceFilter(field_name="phase", choices=Phase.choices, coerce=int)
    status = CaseInsensitiveChoiceFilter(field_name="status", choices=Status.choices)
    source = CaseInsensitiveChoiceFilter(field_name="source", choices=Source.choices)
    search = filters.CharFilter(method="filter_search", max_length=MAX_SEARCH_LENGTH)

    class Meta:
        model = Candidate
        fields = ["phase", "status", "source", "search"]

    def filter_search(self, queryset, name, value):
        """Match the full name ("sarah johnson", so each name too), the email or the position."""
        term = value.strip()
        if not term:
            return queryset
        return queryset.alias(full_name=Concat("first_name", Value(" "), "last_name")).filter(
            Q(full_name__icontains=term) | Q(email__icontains=term) | Q(position__icontains=term)
        )
