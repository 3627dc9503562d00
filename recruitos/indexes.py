"""
Indexes declared on models (so that `makemigrations` sees them) that only PostgreSQL can build.

`TrigramIndex` is a GIN index with `gin_trgm_ops` on PostgreSQL, where it serves substring
search. SQLite has neither GIN nor trigrams; there it is built as an empty partial index of the
same name (the primary key, for no row: nothing to store, nothing to maintain), so that
migrations, and SQLite's table rebuilds, create and drop it like any other index.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db.models import Index, Q


class TrigramIndex(GinIndex):
    """A GIN trigram index on PostgreSQL; an empty placeholder of the same name elsewhere."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        pk = model._meta.pk
        placeholder = Index(fields=[pk.name], name=self.name, condition=Q(**{f"{pk.name}__lt": 0}))
        return placeholder.create_sql(model, schema_editor, **kwargs)


class CoveringIndex(Index):
    """
    A btree index that also holds the `covering` columns (INCLUDE) on PostgreSQL, where queries
    that need only those read the index alone; elsewhere (SQLite has no INCLUDE) its key columns
    alone. Declared apart from Django's `include`, which the system checks flag on SQLite.
    """

    def __init__(self, *expressions, covering=(), **kwargs):
        super().__init__(*expressions, **kwargs)
        self.covering = tuple(covering)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "covering": self.covering}

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        index = Index(
            *self.expressions,
            fields=self.fields,
            name=self.name,
            db_tablespace=self.db_tablespace,
            opclasses=self.opclasses,
            condition=self.condition,
            include=self.covering,
        )
        return index.create_sql(model, schema_editor, using=using, **kwargs)
