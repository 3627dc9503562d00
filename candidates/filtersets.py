"""Query parameters of `GET /api/candidates`."""

from django_filters import rest_framework as filters

from candidates.models import Candidate, Phase, Source, Status
from candidates.selectors import candidate_count
from recruitos.filters import CaseInsensitiveChoiceFilter, FilterSet

MAX_SEARCH_LENGTH = 200


class CandidateFilterSet(FilterSet):
    """`phase`, `status`, `source` match exactly; `search` is a case-insensitive substring."""

    phase = filters.TypedChoiceFilter(field_name="phase", choices=Phase.choices, coerce=int)
    status = CaseInsensitiveChoiceFilter(field_name="status", choices=Status.choices)
    source = CaseInsensitiveChoiceFilter(field_name="source", choices=Source.choices)
    search = filters.CharFilter(method="filter_search", max_length=MAX_SEARCH_LENGTH)

    class Meta:
        model = Candidate
        fields = ["phase", "status", "source", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def count(self) -> int:
        """The matching rows, from the tally unless a search needs the rows themselves."""
        data = self.form.cleaned_data
        if (data.get("search") or "").strip():
            return self.qs.count()
        return candidate_count(phase=data.get("phase"), status=data.get("status"), source=data.get("source"))
