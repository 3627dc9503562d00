"""Query parameters of `GET /api/candidates`."""

from django_filters import rest_framework as filters

from candidates.models import Candidate, Phase, Source, Status
from candidates.selectors import candidate_count, search_page
from recruitos.filters import CaseInsensitiveChoiceFilter

MAX_SEARCH_LENGTH = 200


class CandidateFilterSet(filters.FilterSet):
    """
    `phase`, `status`, `source` match exactly; `search` is a case-insensitive substring.

    Each filter has its label (the schema's description): django-filter would otherwise work
    one out from the model for every request.
    """

    phase = filters.TypedChoiceFilter(field_name="phase", choices=Phase.choices, coerce=int, label="Pipeline phase")
    status = CaseInsensitiveChoiceFilter(
        field_name="status", choices=Status.choices, label="Pipeline stage, in any capitalisation"
    )
    source = CaseInsensitiveChoiceFilter(
        field_name="source", choices=Source.choices, label="Where the candidate came from, in any capitalisation"
    )
    search = filters.CharFilter(
        method="filter_search",
        max_length=MAX_SEARCH_LENGTH,
        label="Part of the full name, email or position, ignoring case",
    )

    class Meta:
        model = Candidate
        fields = ["phase", "status", "source", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def count(self) -> int:
        """The matching rows, from the tally unless a search needs the rows themselves."""
        data = self.form.cleaned_data
        if self._searching():
            return self.qs.count()
        return candidate_count(phase=data.get("phase"), status=data.get("status"), source=data.get("source"))

    def page(self, low, high, columns):
        """
        For a search, the `columns` of its rows [low:high] and its number of matches, from one pass.

        A search's matches come from the trigram indexes and are then rechecked in the rows
        themselves. Counting them and then asking for the newest of them did that twice, or
        worse: PostgreSQL expects matches to be spread evenly and walks the newest-first index,
        through every newer row that does not match (most of the table, when the newest
        candidates do not match). `search_page` reads the matches once and sorts only their
        ids. Without a search: None (the tally counts, an index gives the page in order).
        """
        if not self._searching():
            return None
        return search_page(self.qs, columns, low, high)

    def _searching(self) -> bool:
        return bool((self.form.cleaned_data.get("search") or "").strip())
