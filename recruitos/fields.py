"""
Columns a model computes from its other fields, stored so that the database can index and
constrain them (an interview's end, for an exclusion constraint).

The value is set in `pre_save`, as Django's `auto_now` is: on `save()` and on `bulk_create()`.
`QuerySet.update()` and raw SQL bypass it, so those must not change the fields a computed
column depends on. A `save(update_fields=…)` must list the computed column too;
`with_computed_fields` adds it.
"""

from django.db import models


class ComputedFieldMixin:
    """A field whose value is `instance.<compute>()`, recomputed whenever the instance is saved."""

    def __init__(self, *args, compute: str, depends_on: tuple[str, ...], **kwargs):
        self.compute, self.depends_on = compute, tuple(depends_on)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, {**kwargs, "compute": self.compute, "depends_on": self.depends_on}

    def pre_save(self, model_instance, add):
        compute = getattr(model_instance, self.compute, None)
        if compute is None:  # a migration's historical model has fields but no methods: it sets the value itself
            return super().pre_save(model_instance, add)
        value = compute()
        setattr(model_instance, self.attname, value)
        return value


class ComputedDateTimeField(ComputedFieldMixin, models.DateTimeField):
    """A computed timestamp."""


class ComputedTextField(ComputedFieldMixin, models.TextField):
    """A computed string (of any length: a normalised form can be longer than its source)."""


def with_computed_fields(model, update_fields) -> set[str] | None:
    """`update_fields` plus the computed fields of `model` that depend on any of them (None stays None)."""
    if update_fields is None:
        return None
    fields = set(update_fields)
    for field in model._meta.concrete_fields:
        if isinstance(field, ComputedFieldMixin) and fields.intersection(field.depends_on):
            fields.add(field.name)
    return fields
