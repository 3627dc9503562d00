"""
Helpers the apps' service functions share: locking a row for an update and writing only
the fields that really change, so concurrent edits of different fields all survive.
"""

import re

from django.db import IntegrityError, models

# SQLite names a violated constraint only in its message: "UNIQUE constraint failed: index 'name'"
# for a unique index on expressions, "CHECK constraint failed: name" for a check.
_SQLITE_CONSTRAINT = re.compile(r"(?:UNIQUE|CHECK) constraint failed: (?:index '(?P<index>[^']+)'|(?P<check>\w+))")


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


def violated_constraint(error: IntegrityError) -> str | None:
    """
    The name of the constraint `error` reports, or None: psycopg's diagnostics on PostgreSQL,
    where the row's own text cannot be mistaken for it; SQLite's message elsewhere.
    """
    diagnostics = getattr(error.__cause__, "diag", None)
    if diagnostics is not None:
        return diagnostics.constraint_name
    found = _SQLITE_CONSTRAINT.fullmatch(str(error))
    return (found["index"] or found["check"]) if found else None
