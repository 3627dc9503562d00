"""
A new row and the row that records it, stored by one SQL statement on PostgreSQL.

`insert_together(parent, child, link)` inserts `parent` and `child`, with `child.<link>`
pointing at the new parent, as one statement (`WITH parent AS (INSERT ...), child AS
(INSERT ...)`): one statement is atomic by itself, so at the top level it needs no BEGIN
and COMMIT, and it is one round trip instead of four. The SQL of each INSERT is Django's
own, from the models' fields, as `Model.save()` would write it. It runs on the prepared
cursor (`recruitos.postgresql`): PostgreSQL parses and plans it once per connection.
Elsewhere (SQLite) the two are saved one after the other in a transaction.
"""

from contextlib import nullcontext

from django.db import connections, router, transaction
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery


def insert_together(parent, child, link: str) -> None:
    using = router.db_for_write(type(parent), instance=parent)
    connection = connections[using]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=using):
            parent.save(using=using, force_insert=True)
            setattr(child, link, parent)
            child.save(using=using, force_insert=True)
        return
    parent_sql, parent_params = _insert_sql(parent, connection)
    pk_column = connection.ops.quote_name(parent._meta.pk.column)
    setattr(child, child._meta.get_field(link).attname, RawSQL(f"SELECT {pk_column} FROM new_parent", ()))
    child_sql, child_params = _insert_sql(child, connection)
    sql = (
        f"WITH new_parent AS ({parent_sql}), new_child AS ({child_sql}) "
        f"SELECT new_parent.{pk_column}, new_child.{connection.ops.quote_name(child._meta.pk.column)} "
        "FROM new_parent, new_child"
    )
    # Inside a transaction, a savepoint, so that a failed insert (a taken email) leaves the
    # caller's transaction usable, as a nested atomic service would.
    savepoint = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    cursor = connection.prepared_cursor() if hasattr(connection, "prepared_cursor") else connection.cursor()
    with savepoint, cursor:
        cursor.execute(sql, (*parent_params, *child_params))
        parent.pk, child.pk = cursor.fetchone()
    setattr(child, link, parent)
    for obj in (parent, child):
        obj._state.adding, obj._state.db = False, using


def _insert_sql(obj, connection) -> tuple[str, tuple]:
    """The INSERT ... RETURNING pk that `obj.save()` would run, without running it."""
    meta = obj._meta
    fields = [f for f in meta.local_concrete_fields if not f.generated]
    if obj.pk is None:
        fields.remove(meta.auto_field)
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [meta.pk]
    [(sql, params)] = compiler.as_sql()
    return sql, tuple(params)
