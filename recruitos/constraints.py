"""
Constraints declared on models (so that `makemigrations` sees them) that only PostgreSQL can hold.

An exclusion constraint (no two rows whose ranges overlap for the same key) needs GiST indexes;
SQLite has none. There `PostgresExclusionConstraint` writes no SQL at all (Django's schema editor
skips a constraint whose SQL is empty, in CREATE TABLE, in ALTER TABLE and in SQLite's table
rebuilds), and the model's own validation and services keep the rule instead.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField
from django.db.models import Func


class TsTzRange(Func):
    """PostgreSQL's `tstzrange(start, end, bounds)`, as in Django's documentation of ExclusionConstraint."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """
    Django's ExclusionConstraint on PostgreSQL, nothing elsewhere.

    It does not validate rows in `full_clean`: Django's check would say only "Constraint … is
    violated.", so the model that declares it validates the rule itself, on every database,
    with a message that names the row in the way.
    """

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if _held(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if _held(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if _held(schema_editor) else None

    def validate(self, model, instance, exclude=None, using=None):
        return None


def _held(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"
