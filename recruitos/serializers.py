"""
Serializer building blocks shared by the apps.

`ContractModelSerializer` applies the contract's input rules to every model it serves:
enumerations match ignoring case and are stored in their canonical spelling, and an
empty optional text field ("" from an untouched form input) is stored as null, so a
value has one "empty" and survives a CSV export and import unchanged.
"""

import copy

from rest_framework import serializers

from recruitos.choices import canonical_choice


class CaseInsensitiveChoiceField(serializers.ChoiceField):
    """A choice field that accepts any capitalisation and returns the canonical value."""

    def to_internal_value(self, data):
        return super().to_internal_value(canonical_choice(data, self.choices.items()))


class BlankAsNullMixin:
    """Turn an empty or all-whitespace string into None after the usual validation."""

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        return None if value == "" else value


class OptionalCharField(BlankAsNullMixin, serializers.CharField):
    """Optional text: null, "" and whitespace all mean no value."""


class OptionalURLField(BlankAsNullMixin, serializers.URLField):
    """Optional URL: null, "" and whitespace all mean no value."""


class ContractModelSerializer(serializers.ModelSerializer):
    """
    ModelSerializer with case-insensitive choices and blank-as-null optional text.

    Its fields are built from the model once per class and copied for each instance:
    ModelSerializer otherwise inspects the model anew for every instance (0.5 ms of every
    write), and DRF's deep copy of a field builds it again from its arguments (0.27 ms for a
    candidate's). The fields here depend on the model and Meta only, never on the request.
    """

    serializer_choice_field = CaseInsensitiveChoiceField

    def get_fields(self):
        cls = type(self)
        prototype = cls.__dict__.get("_prototype_fields")
        if prototype is None:
            prototype = super().get_fields()
            cls._prototype_fields = prototype
        # A shallow copy each: the instance binds its own (name, parent), and shares with the
        # prototype only what no request changes (validators, choices, messages, querysets).
        return {name: copy.copy(field) for name, field in prototype.items()}

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if model_field.null and field_class in (serializers.CharField, serializers.URLField):
            field_class = OptionalURLField if field_class is serializers.URLField else OptionalCharField
            field_kwargs.update(allow_null=True, allow_blank=True)
        return field_class, field_kwargs
