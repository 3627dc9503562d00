"""Query parameters of `GET /api/interviews`."""

import datetime

from django import forms
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES

from interviews.models import Interview, InterviewStatus
from interviews.selectors import day_bounds, interview_count_on
from recruitos.filters import CaseInsensitiveChoiceFilter, IdFilter
from recruitos.sql import fetch_value


class DayField(forms.Field):
    """A calendar day: YYYY-MM-DD, or an ISO 8601 timestamp meaning its day in TIME_ZONE."""

    default_error_messages = {"invalid": "Enter a date as YYYY-MM-DD or an ISO 8601 timestamp."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = value.strip()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


class DayFilter(filters.Filter):
    """Rows whose timestamp falls on the given calendar day in TIME_ZONE (DST-safe)."""

    field_class = DayField

    def filter(self, qs, value):
        if value is None:
            return qs
        start, end = day_bounds(value)
        return qs.filter(**{f"{self.field_name}__gte": start, f"{self.field_name}__lt": end})


class InterviewFilterSet(filters.FilterSet):
    """`candidateId`, `date`, `status` and `interviewer` (exact, ignoring case) combine."""

    candidate_id = IdFilter(field_name="candidate_id", label="The candidate's id")
    date = DayFilter(
        field_name="scheduled_date", label="A day in TIME_ZONE: YYYY-MM-DD, or an ISO 8601 timestamp meaning its day"
    )
    status = CaseInsensitiveChoiceFilter(
        field_name="status", choices=InterviewStatus.choices, label="Interview status, in any capitalisation"
    )
    interviewer = filters.CharFilter(
        field_name="interviewer", lookup_expr="iexact", max_length=200, label="Interviewer"
    )

    class Meta:
        model = Interview
        fields = ["candidate_id", "date", "status", "interviewer"]

    def count(self) -> int:
        """The matching rows; for a day alone, from the quarter-hour tally (`interview_count_on`)."""
        data = self.form.cleaned_data
        if {name for name in self.filters if data.get(name) not in EMPTY_VALUES} == {"date"}:
            return interview_count_on(data["date"])
        return fetch_value(self.qs, Count("*"))
