"""django-filter building blocks shared by the apps' FilterSets."""

from django import forms
from django_filters import rest_framework as filters
from django_filters import utils

from recruitos.choices import canonical_choice
from recruitos.pagination import MAX_BIGINT


class CaseInsensitiveChoiceField(forms.ChoiceField):
    """A form choice field that accepts any capitalisation and cleans to the canonical value."""

    def to_python(self, value):
        return canonical_choice(super().to_python(value), self.choices)


class CaseInsensitiveChoiceFilter(filters.ChoiceFilter):
    """Exact match on an enumeration, given in any capitalisation; unknown values are a 400."""

    field_class = CaseInsensitiveChoiceField


class IdFilter(filters.NumberFilter):
    """Exact match on an id: an integer within the database's range, else a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_BIGINT)
        super().__init__(*args, **kwargs)


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend, keeping the validated FilterSet on the view, which may count with it."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        view.filterset = filterset
        return filterset.qs
