"""
Helpers the apps' service functions share: locking a row for an update and writing only
the fields that really change, so concurrent edits of different fields all survive.
"""

from django.db import models


def lock_for_update(instance: models.Model) -> models.Model:
    """Re-read `instance` locked FOR UPDATE (inside a transaction); DoesNotExist if it is gone."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def apply_changes(instance: models.Model, data: dict) -> dict:
    """Set the fields of `data` that differ on `instance`; return {field: old value} of those."""
    changed = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        current = getattr(instance, field.attname)
        new = value.pk if field.is_relation and value is not None else value
        if current != new:
            changed[name] = current
            setattr(instance, name, value)
    return changed
