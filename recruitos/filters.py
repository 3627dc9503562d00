"""django-filter building blocks shared by the apps' FilterSets."""

from django import forms
from django_filters import rest_framework as filters

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
