"""
Compiled SQL, kept: a read is compiled once per shape and rerun with new parameters.

Django compiles a queryset's whole SQL (select list, joins, ordering) each time it is
evaluated, and turning `values_list()` into a query costs more again. For the API's reads
the shape hardly varies: the same columns, joins and ordering, only the WHERE values differ.
Those two steps cost more than running the query itself (a detail read: about 0.4 ms of
building and compiling against 0.15 ms in PostgreSQL).

`fetch_rows(queryset, columns)` and `fetch_value(queryset, expression)` compile only the
queryset's WHERE clause (cheap), look the complete SQL up by it, and run that with the
WHERE's own parameters, so Django still chooses every value's SQL. Only SQL text and Django's
value converters are kept, never results: every call reads the database as it is. A query
the cache cannot reproduce exactly (annotations, grouping, DISTINCT, locking, unions, extra
SQL, or parameters outside the WHERE clause) is run by the ORM as usual.
"""

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import Value

MAX_SHAPES = 512  # per process; a shape is the WHERE clause's SQL text, so real APIs have a few dozen
_templates: dict[tuple, "Template | None"] = {}


class Template:
    """A complete SELECT (without LIMIT/OFFSET) and the converters of its columns."""

    __slots__ = ("converters", "sql")

    def __init__(self, sql, converters):
        self.sql, self.converters = sql, converters

    def run(self, using, params, low=0, high=None, prepared=False):
        """The rows; `prepared`: on the connection's prepared cursor, where it has one (see below)."""
        connection = connections[using]
        sql = self.sql
        if low or high is not None:
            sql = f"{sql} {connection.ops.limit_offset_sql(low, high)}"
        with prepared_cursor(connection) if prepared else connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in self.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted


def fetch_rows(queryset, columns, low=0, high=None) -> list[tuple]:
    """`list(queryset.values_list(*columns)[low:high])`, with the compiled SQL reused."""
    found = _where(queryset)
    if found is None:
        return list(queryset.values_list(*columns)[low:high])
    where, params = found
    key = ("rows", queryset.model, columns, *_shape(queryset.query), where)
    template = _template(key, lambda: queryset.values_list(*columns), params)
    if template is None:
        return list(queryset.values_list(*columns)[low:high])
    return template.run(queryset.db, params, low, high)


def fetch_rows_matching(queryset, columns, lookup: str, value, low=0, high=None) -> list[tuple]:
    """
    `fetch_rows(queryset.filter(**{lookup: value}), columns, low, high)`, without building the
    filter again for each value (see `_matching`): the Bearer key lookup, a detail read.
    """
    template, params = _matching(
        "rows", queryset, columns, {lookup: value}, lambda filtered: filtered.values_list(*columns)
    )
    if template is None:
        return fetch_rows(queryset.filter(**{lookup: value}), columns, low, high)
    return template.run(queryset.db, params, low, high, prepared=True)


def fetch_value_matching(queryset, expression, lookups: dict):
    """`fetch_value(queryset.filter(**lookups), expression)`, without building the filter each time."""
    queryset = queryset.order_by()
    template, params = _matching(
        "value", queryset, expression, lookups, lambda filtered: _value_query(filtered, expression)
    )
    if template is None:
        return fetch_value(queryset.filter(**lookups), expression)
    rows = template.run(queryset.db, params, prepared=True)
    return rows[0][0] if rows else None


def _matching(kind, queryset, what, lookups: dict, build):
    """
    The kept SQL of `queryset.filter(**lookups)` (exact lookups) and its parameters, or (None, None).

    Only for values that every driver takes as they are (text, 64-bit integers; Django turns a
    larger integer into "no match" and None into IS NULL, other SQL). The first call for each
    set of lookups and types of values builds the filter and checks that its parameters are the
    queryset's own followed by the values; later calls only swap the values. As only the values
    change, the statement's text is the same every time: it runs prepared on PostgreSQL
    (`recruitos.postgresql`), parsed and planned once per connection.
    """
    names = tuple(sorted(lookups))
    values = tuple(lookups[name] for name in names)  # Django emits filter(**kwargs) sorted by name
    plain = all(type(v) is str or (type(v) is int and -(2**63) <= v < 2**63) for v in values)
    found = _where(queryset) if plain else None
    if found is None:
        return None, None
    where, params = found
    key = ("match", kind, queryset.model, what, names, tuple(map(type, values)), *_shape(queryset.query), where)
    try:
        template = _templates[key]
    except KeyError:
        filtered = queryset.filter(**lookups)
        built = _where(filtered)
        template = None
        if built is not None and built[1] == (*params, *values):
            shape = (kind, filtered.model, what, *_shape(filtered.query), built[0])
            template = _template(shape, lambda: build(filtered), built[1])
        _templates[key] = template
    return (template, (*params, *values)) if template is not None else (None, None)


def fetch_value(queryset, expression):
    """The aggregate `expression` (such as `Count("*")`) over the queryset's rows, compiled once."""
    queryset = queryset.order_by()
    found = _where(queryset)
    if found is not None:
        where, params = found
        key = ("value", queryset.model, expression, *_shape(queryset.query), where)
        if (template := _template(key, lambda: _value_query(queryset, expression), params)) is not None:
            rows = template.run(queryset.db, params)
            return rows[0][0] if rows else None
    return queryset.aggregate(_value=expression)["_value"]


def _value_query(queryset, expression):
    # Grouping by a constant is no grouping: one row, `SELECT <expression> FROM … WHERE …`.
    return queryset.values(_all=Value(1)).annotate(_value=expression).values_list("_value")


def _where(queryset):
    """The queryset's WHERE clause as (sql, params), or None when the cache must not serve it."""
    query = queryset.query
    if (
        query.is_sliced
        or query.annotations
        or query.extra
        or query.extra_tables
        or query.extra_order_by
        or query.group_by is not None
        or query.distinct
        or query.combinator
        or query.select_for_update
        or query.values_select
        or not query.standard_ordering
    ):
        return None
    compiler = query.get_compiler(queryset.db)
    try:
        sql, params = compiler.compile(query.where)
    except FullResultSet:
        return "", ()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def _shape(query) -> tuple:
    """What besides the WHERE text decides the SQL: the tables and how they are joined, the ordering."""
    joins = tuple((alias, getattr(join, "join_type", None)) for alias, join in query.alias_map.items())
    return joins, query.order_by, query.default_ordering


def _template(key, build, params) -> Template | None:
    def compile_template():
        queryset = build()
        compiler = queryset.query.get_compiler(queryset.db)
        sql, full_params = compiler.as_sql()
        # Only a query whose every parameter is the WHERE clause's, in order, can be rerun with new ones.
        return Template(sql, _converters(compiler)) if tuple(full_params) == params else None

    return _kept(key, compile_template)


def _kept(key, build):
    """What is kept under `key`, made by `build()` (None: cannot be kept) the first time; bounded, per process."""
    try:
        return _templates[key]
    except KeyError:
        pass
    template = build()
    if len(_templates) >= MAX_SHAPES:
        _templates.clear()
    _templates[key] = template
    return template


def _converters(compiler) -> tuple:
    """Django's value converters of the compiled query's selected columns, by position."""
    return tuple(compiler.get_converters([selected[0] for selected in compiler.select[: compiler.col_count]]).items())


def keep(key, build):
    """A statement of the caller's own, kept like the querysets': `build()` makes it (or None) the first time."""
    return _kept(("own", *key), build)


def select_list(queryset) -> tuple[str, tuple]:
    """
    The SQL of the queryset's selected columns (fields by name: no parameters), comma-separated,
    and their converters, for a Template whose first columns they are.
    """
    compiler = queryset.query.get_compiler(queryset.db)
    compiler.setup_query()
    selected = compiler.select[: compiler.col_count]
    if any(params for _, (_, params), _ in selected):
        raise ValueError("select_list takes columns without parameters")
    return ", ".join(column_sql for _, (column_sql, _), _ in selected), _converters(compiler)


def prepared_cursor(connection):
    """The connection's prepared cursor where it has one (PostgreSQL, recruitos.postgresql), else its cursor."""
    return connection.prepared_cursor() if hasattr(connection, "prepared_cursor") else connection.cursor()
