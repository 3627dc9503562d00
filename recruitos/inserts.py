"""
A new row and the row that records it, stored by one SQL statement on PostgreSQL.

`insert_together(parent, child, link)` inserts `parent` and `child`, with `child.<link>`
pointing at the new parent, as one statement (`WITH parent AS (INSERT ...), child AS
(INSERT ...)`): one statement is atomic by itself, so at the top level it needs no BEGIN
and COMMIT, and it is one round trip instead of four. The SQL of each INSERT is Django's
own, from the models' fields, as `Model.save()` would write it, compiled once per shape
(model, fields, which of them hold SQL expressions) and then only given new values. It runs
on the prepared cursor (`recruitos.postgresql`): PostgreSQL parses and plans it once per
connection. Elsewhere (SQLite) the two are saved one after the other in a transaction.
"""

from contextlib import nullcontext
from functools import cache

from django.db import connections, router, transaction
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery

from recruitos.sqlcache import prepared_cursor


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
    setattr(child, child._meta.get_field(link).attname, _new_parent_pk(pk_column))
    child_sql, child_params = _insert_sql(child, connection)
    sql = (
        f"WITH new_parent AS ({parent_sql}), new_child AS ({child_sql}) "
        f"SELECT new_parent.{pk_column}, new_child.{connection.ops.quote_name(child._meta.pk.column)} "
        "FROM new_parent, new_child"
    )
    # Inside a transaction, a savepoint, so that a failed insert (a taken email) leaves the
    # caller's transaction usable, as a nested atomic service would.
    savepoint = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    with savepoint, prepared_cursor(connection) as cursor:
        cursor.execute(sql, (*parent_params, *child_params))
        parent.pk, child.pk = cursor.fetchone()
    setattr(child, link, parent)
    for obj in (parent, child):
        obj._state.adding, obj._state.db = False, using


_KEPT_MAX = 64  # shapes per process; the API has two
_kept: dict[tuple, str | None] = {}


def _insert_sql(obj, connection) -> tuple[str, tuple]:
    """
    The INSERT ... RETURNING pk that `obj.save()` would run, without running it.

    Each field's value is what `save()` would store (`pre_save`, then `get_db_prep_save`). The
    SQL is Django's, compiled the first time a shape is seen and kept only if the parameters
    it came with are exactly the values computed here; a shape whose SQL holds values of its
    own (custom placeholders, expressions with parameters) is compiled every time.
    """
    meta = obj._meta
    fields = [f for f in meta.local_concrete_fields if not f.generated]
    if obj.pk is None:
        fields.remove(meta.auto_field)
    values = [field.pre_save(obj, True) for field in fields]
    sqls = [_expression_sql(value) for value in values]  # None: a value, bound as a parameter
    params = tuple(
        field.get_db_prep_save(value, connection)
        for field, value, sql in zip(fields, values, sqls, strict=True)
        if sql is None
    )
    shape = None
    if all(sql is not False for sql in sqls):
        shape = (connection.alias, type(obj), tuple(f.attname for f in fields), tuple(sqls))
        if (sql := _kept.get(shape)) is not None:
            return sql, params
    # Django's compiler, given the values above as they are (raw: pre_save has run).
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj], raw=True)
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [meta.pk]
    [(sql, compiled)] = compiler.as_sql()
    compiled = tuple(compiled)
    if shape is not None and shape not in _kept:
        if len(_kept) >= _KEPT_MAX:
            _kept.clear()
        _kept[shape] = sql if compiled == params else None
    return sql, compiled


@cache
def _new_parent_pk(pk_column: str) -> RawSQL:
    """The new parent's id, as the child's link; one per column (a RawSQL builds a Field each time)."""
    return RawSQL(f"SELECT {pk_column} FROM new_parent", ())


def _expression_sql(value) -> str | bool | None:
    """None for a plain value; the SQL of a parameterless RawSQL (part of the shape); False for other expressions."""
    if not hasattr(value, "resolve_expression"):
        return None
    if type(value) is RawSQL and not value.params:
        return value.sql
    return False
