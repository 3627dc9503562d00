"""Query parameters of `GET /api/interviews`."""

import datetime

from django import forms
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES

from interviews.models import Interview, InterviewStatus
from interviews.selectors import day_bounds, interview_count, today_bounds
from recruitos.dates import DAY_OUT_OF_RANGE, day_in_range, in_range
from recruitos.filters import CaseInsensitiveChoiceFilter, IdFilter
from recruitos.sql import fetch_value, split_page


class DayField(forms.Field):
    """A calendar day: YYYY-MM-DD, or an ISO 8601 timestamp meaning its day in TIME_ZONE."""

    default_error_messages = {
        "invalid": "Enter a date as YYYY-MM-DD or an ISO 8601 timestamp.",
        "out_of_range": DAY_OUT_OF_RANGE,
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = value.strip()
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            day = self._day_of(text)
        if not day_in_range(day):
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        return day

    def _day_of(self, text: str) -> datetime.date:
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not in_range(moment):
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


class DayFilter(filters.Filter):
    """Rows whose timestamp falls on the given calendar day in TIME_ZONE (DST-safe)."""

    field_class = DayField

    def filter(self, qs, value):
        if value is None:
            return qs
        start, end = day_bounds(value)
        return qs.filter(**{f"{self.field_name}__gte": start, f"{self.field_name}__lt": end})


class ChronologicalOrderingFilter(filters.OrderingFilter):
    """django-filter's ordering, ties broken by id in the same direction (a stable order to page through)."""

    def filter(self, qs, value):
        value = [param for param in value or () if param]  # "?ordering=," names no field
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "-id" if ordering[-1].startswith("-") else "id")


class InterviewFilterSet(filters.FilterSet):
    """`candidateId`, `date`, `status` and `interviewer` (exact, ignoring case) combine; `ordering` orders."""

    candidate_id = IdFilter(field_name="candidate_id", label="The candidate's id")
    date = DayFilter(
        field_name="scheduled_date", label="A day in TIME_ZONE: YYYY-MM-DD, or an ISO 8601 timestamp meaning its day"
    )
    status = CaseInsensitiveChoiceFilter(
        field_name="status", choices=InterviewStatus.choices, label="Interview status, in any capitalisation"
    )
    interviewer = filters.CharFilter(
        field_name="interviewer", lookup_expr="iexact", max_length=200, label="The interviewer's name, ignoring case"
    )
    ordering = ChronologicalOrderingFilter(
        fields=(("scheduled_date", "scheduledDate"),),
        label="scheduledDate (oldest first) or -scheduledDate (newest first); without it and without date, "
        "interviews from the start of today come first, soonest first, then earlier ones, most recent first",
    )

    class Meta:
        model = Interview
        fields = ["candidate_id", "date", "status", "interviewer"]

    def count(self) -> int:
        """The matching rows; for a day alone or for all, from the quarter-hour tally."""
        given = self._given() - {"ordering"}
        if given <= {"date"}:  # a day alone, or all of them
            return interview_count(self.form.cleaned_data.get("date"))
        return fetch_value(self.qs, Count("*"))

    def page(self, low, high, columns):
        """
        Without `date` and `ordering`, the page in the default order (`recruitos.sql.split_page`
        from the start of today): what the frontend's Interviews page shows first. Else None:
        the queryset's own order (a day in time order, or the `ordering` asked for).
        """
        given = self._given()
        if given & {"date", "ordering"}:
            return None
        today, _ = today_bounds()
        few = "candidate_id" in given  # one person's interviews: read at once
        return split_page(self.qs, "scheduled_date", today, columns, low, high, few=few), None  # total: RowList's

    def _given(self) -> set[str]:
        return {name for name in self.filters if _given(self.form.cleaned_data.get(name))}


def _given(value) -> bool:
    """A filter's value says something: not empty, and not a list of empty names ("?ordering=,")."""
    return any(value) if isinstance(value, list) else value not in EMPTY_VALUES
