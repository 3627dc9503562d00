"""
Every private internal of Django and DRF the project uses, here and nowhere else.

Each is here because nothing public comes within a few percent (bench/README.md, "Private
internals"); tests/test_internals.py fails loudly if a release changes one. Checked against
Django 5.2.19 and 6.1.3, DRF 3.18.3. `recruitos.sql` runs what these compile, with public API.

- `Query.get_compiler()`, `SQLCompiler.as_sql()`, `.select`, `.col_count`, `.get_converters()`:
  a SELECT's SQL, parameters and value converters, compiled once (`compile_select`).
- `Query.alias_map` (its joins' equality and `join_type`), `.where`, `.order_by`,
  `.default_ordering`, `.standard_ordering`, `.annotations`, `.is_sliced`, `.extra`, `.extra_tables`,
  `.extra_order_by`, `.combinator`, `.group_by`, `.distinct`, `.select_for_update`,
  `.values_select`; `SQLCompiler.compile()`: what decides a query's SQL (`query_shape`).
- `InsertQuery.insert_values()`, `SQLInsertCompiler.returning_fields`, `Options.local_concrete_fields`,
  `.auto_field`, `.db_returning_fields`, `Field.pre_save()`: the INSERT that `save()` runs,
  kept per shape (`insert_statement`); psycopg's JSON adapter (`Jsonb.obj`, `.dumps`), to see
  that a compiled JSON parameter is the value given (`_same_value`).
- The shape of `get_converters()` ({position: (functions, expression)}), each function called
  as Django calls it (`convert_rows`).
- What `save()` does around its INSERT: `pre_save`/`post_save` sent with its arguments, the values
  the database made read back through `Field.get_db_converters()` and `Field.get_col()`, and
  `Model._state` marked saved (`before_insert`, `after_insert`; `mark_saved`, also after the COPY
  of `recruitos.sql.bulk_insert`).
- `BaseDatabaseWrapper.wrap_database_errors`, for a COPY's errors (`database_errors`).
- DRF fields copied with `copy.copy`, to be bound anew by a serializer (`copy_fields`).
"""

import copy

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery
from rest_framework.serializers import BaseSerializer

_INSERTS: dict[tuple, str] = {}  # INSERT statements by shape (insert_statement), per process
_INSERTED: dict[tuple, tuple] = {}  # the fields an INSERT writes, and their names, by (model, with a key)


def compile_select(queryset) -> tuple[str, tuple, tuple]:
    """The SQL and parameters of a SELECT queryset as Django runs it, and the converters of its columns by position."""
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    selected = [column for column, _, _ in compiler.select[: compiler.col_count]]
    return sql, tuple(params), tuple(compiler.get_converters(selected).items())


def query_shape(queryset) -> tuple[tuple, tuple] | None:
    """
    What decides the queryset's SQL besides its SELECT list (model, WHERE text, joins, ordering,
    annotations) as a hashable key, and its WHERE's parameters; None for a query that holds more
    than a WHERE (slices, grouping, DISTINCT, locks, raw SQL) or that cannot be a key.
    """
    query = queryset.query
    if query.is_sliced or query.extra or query.extra_tables or query.extra_order_by or query.combinator:
        return None
    if query.group_by is not None or query.distinct or query.select_for_update or query.values_select:
        return None
    try:
        where, params = query.get_compiler(queryset.db).compile(query.where)
    except FullResultSet:
        where, params = "", ()
    except EmptyResultSet:
        return None
    # A join is its table, parent, relation and condition (Join's equality) and its type, not its alias alone.
    joins = tuple((alias, join, getattr(join, "join_type", None)) for alias, join in query.alias_map.items())
    ordering = (query.order_by, query.default_ordering, query.standard_ordering)
    key = (queryset.db, queryset.model, where, joins, *ordering, tuple(query.annotations.items()))
    try:
        hash(key)
    except TypeError:  # a part of the query that cannot be a key
        return None
    return key, tuple(params)


def insert_statement(obj, connection) -> tuple[str, tuple, list]:
    """
    The INSERT … RETURNING that `obj.save()` runs, its parameters, and the fields it returns.
    Each value is what `save()` stores (`pre_save`, `get_db_prep_save`); the SQL is Django's,
    kept per shape (model, fields, which values are SQL of their own) when its parameters are
    exactly those values, and only given new ones after that.
    """
    meta = obj._meta
    fields, names = _inserted(type(obj), obj.pk is not None)
    values = [field.pre_save(obj, True) for field in fields]
    own_sql = tuple(_own_sql(value) for value in values)
    params = tuple(
        f.get_db_prep_save(v, connection) for f, v, o in zip(fields, values, own_sql, strict=True) if o is None
    )
    shape = (connection.alias, type(obj), names, own_sql)
    if False not in own_sql and (sql := _INSERTS.get(shape)) is not None:
        return sql, params, list(meta.db_returning_fields)
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj], raw=True)  # pre_save has run
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = meta.db_returning_fields
    [(sql, compiled)] = compiler.as_sql()
    if False not in own_sql and len(compiled) == len(params) and all(map(_same_value, compiled, params)):
        _INSERTS.clear() if len(_INSERTS) >= 64 else None
        _INSERTS[shape] = sql
    return sql, tuple(compiled), list(meta.db_returning_fields)


def _inserted(model, with_key: bool) -> tuple[list, tuple]:
    """The fields `save()` inserts for a new row of `model` (its key too when given), and their names."""
    if (model, with_key) not in _INSERTED:
        meta = model._meta
        fields = [f for f in meta.local_concrete_fields if not f.generated and (with_key or f is not meta.auto_field)]
        _INSERTED[(model, with_key)] = fields, tuple(field.attname for field in fields)
    return _INSERTED[(model, with_key)]


def _same_value(compiled, given) -> bool:
    """
    Whether a compiled parameter is the value given. A JSON value comes wrapped in an adapter
    (psycopg's `Jsonb`) that each `get_db_prep_save` makes anew and that compares by identity:
    the same when it wraps the same object with the same `dumps`.
    """
    if compiled == given:
        return True
    wrapped = getattr(compiled, "obj", None)
    return (
        type(compiled) is type(given)
        and wrapped is not None
        and wrapped is getattr(given, "obj", None)
        and getattr(compiled, "dumps", None) is getattr(given, "dumps", None)
    )


def _own_sql(value) -> str | bool | None:
    """None for a plain value; the SQL of a parameterless RawSQL (part of the shape); False for other expressions."""
    if not hasattr(value, "resolve_expression"):
        return None
    return value.sql if type(value) is RawSQL and not value.params else False


def convert_rows(rows: list, converters: tuple, connection) -> list[tuple]:
    """Rows as Django reads them: each value through its column's converters (`compile_select`'s, by position)."""
    converted = []
    for row in rows:
        row = list(row)
        for position, (functions, expression) in converters:
            for function in functions:
                row[position] = function(row[position], expression, connection)
        converted.append(tuple(row))
    return converted


def before_insert(obj, using: str) -> None:
    """What `save()` does before a new row's INSERT: `pre_save`, as it sends it."""
    pre_save.send(sender=type(obj), instance=obj, raw=False, using=using, update_fields=None)


def after_insert(obj, returned: list, values: list, connection) -> None:
    """
    What `save()` does after a new row's INSERT: the `returned` fields set from the database's
    `values` (through their converters), the object marked saved in `connection`, `post_save` sent.
    """
    for field, value in zip(returned, values, strict=True):
        for convert in field.get_db_converters(connection):
            value = convert(value, field.get_col(obj._meta.db_table), connection)
        setattr(obj, field.attname, value)
    mark_saved(obj, connection.alias)
    post_save.send(sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=connection.alias)


def mark_saved(obj, using: str) -> None:
    """`Model._state` as a save (or `bulk_create`) leaves it: the object is stored, in `using`."""
    obj._state.adding, obj._state.db = False, using


def database_errors(connection):
    """
    `BaseDatabaseWrapper.wrap_database_errors`: the driver's errors raised as Django's (the driver's
    kept as the cause), the connection marked for the check that closes a broken one, as Django's
    cursors do; for what its cursor wrapper passes through unwrapped (psycopg's COPY).
    """
    return connection.wrap_database_errors


def copy_fields(fields: dict) -> dict:
    """Fields built once per serializer class, for a new serializer: shallow copies, deep (DRF's) for nested ones."""

    def copier(field):
        nested = isinstance(field, BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation")
        return copy.deepcopy if nested else copy.copy

    return {name: copier(field)(field) for name, field in fields.items()}
