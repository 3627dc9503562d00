"""
The SQL Django does not write, or writes anew for every request: kept and run here.

Django compiles a queryset's whole SQL each time it runs, and for the API's reads that costs
more than PostgreSQL running it (bench/README.md). Reads here compile only the WHERE clause,
look the complete statement up by the query's shape (`recruitos.internals.query_shape`) and
run it with the WHERE's own parameters, so Django still chooses every value's SQL; only SQL
text and Django's value converters are kept, never results. A query that holds more than a
WHERE is run by the ORM as usual. The statements Django has no API for (a page of ids and its
total in one pass, INSERTs of related rows as one statement) are written here too.
"""

import datetime
import decimal
import uuid
from contextlib import nullcontext

from django.db import connections, router, transaction
from django.db.models import NOT_PROVIDED, Count, Model, Value
from django.db.models.expressions import RawSQL

from recruitos.batches import rows_per_insert
from recruitos.internals import (
    after_insert,
    before_insert,
    compile_select,
    convert_rows,
    database_errors,
    insert_statement,
    mark_saved,
    query_shape,
)

MAX_KEPT = 512  # statements kept per process; an API has a few dozen shapes
FEW = 200  # split_page(few=True) reads up to this many rows at once
_kept: dict[tuple, tuple | None] = {}


def fetch_rows(queryset, columns, low=0, high=None) -> list[tuple]:
    """`list(queryset.values_list(*columns)[low:high])`."""
    if (kept := _kept_select(queryset, columns, lambda: queryset.values_list(*columns))) is None:
        return list(queryset.values_list(*columns)[low:high])
    return run(queryset.db, *kept, low, high)


def fetch_value(queryset, expression):
    """`queryset.aggregate(v=expression)["v"]`, for an aggregate such as `Count("*")`."""
    queryset = queryset.order_by()
    # Grouped by a constant, which is no grouping: `SELECT <expression> FROM … WHERE …`.
    build = lambda: queryset.values(_=Value(1)).annotate(v=expression).values_list("v")  # noqa: E731
    if (kept := _kept_select(queryset, expression, build)) is None:
        return queryset.aggregate(v=expression)["v"]
    return run(queryset.db, *kept)[0][0]


def ordered_page(queryset, order_by: str, columns, low: int, high: int) -> tuple[list[tuple], int]:
    """
    The `columns` of rows [low:high], newest `order_by` first (then newest id), and how many rows
    there are, in one statement that reads the matches once: materialised (id, sort key), they
    are found the cheapest way (a search: the trigram indexes), counted, their ids sorted, and
    only the page's rows read. No index is walked in page order past rows that do not match.
    """
    queryset = queryset.order_by()
    matches = _kept_select(queryset, ("page", order_by), lambda: queryset.values_list("pk", order_by))
    if matches is None:
        rows = queryset.order_by(f"-{order_by}", "-pk").values_list(*columns)[low:high]
        return list(rows), queryset.count()
    rows_sql, converters = _page_rows(queryset.model, queryset.db, (*columns, "pk", order_by))
    inner, _, params = matches
    materialized = "MATERIALIZED" if connections[queryset.db].vendor == "postgresql" else ""  # SQLite's is implicit
    sql = (
        f"WITH matches (id, sort_key) AS {materialized} ({inner}), page AS ("
        "SELECT id FROM matches ORDER BY sort_key DESC, id DESC LIMIT %s OFFSET %s) "
        "SELECT page_rows.*, (SELECT COUNT(*) FROM matches) "
        f"FROM (SELECT 1) AS one LEFT JOIN ({rows_sql}) page_rows ON 1 = 1"
    )
    rows = run(queryset.db, sql, converters, (*params, high - low, low))
    page = sorted((row for row in rows if row[-3] is not None), key=lambda row: (row[-2], row[-3]), reverse=True)
    return [row[:-3] for row in page], rows[0][-1]


def split_page(queryset, field: str, moment, columns, low: int, high: int, few: bool = False) -> list[tuple]:
    """
    The `columns` of rows [low:high] in this order: those whose `field` is `moment` or later,
    soonest first, then the earlier ones, most recent first (ties by id, the same way). Each
    part is read in its own direction from an index on (`field`, id), never sorted whole; a
    first page is one statement, a later one two or three. `columns` hold `field` and `id`.
    `few`: the queryset usually has at most FEW rows (a person's interviews), read at once.
    """
    if few:  # one read, in time order, put in this order here; the parts below if there are more
        rows = fetch_rows(queryset.order_by(field, "pk"), columns, 0, FEW + 1)
        if len(rows) <= FEW:
            at = columns.index(field)
            ordered = [row for row in rows if row[at] >= moment] + [row for row in rows[::-1] if row[at] < moment]
            return ordered[low:high]
    after = queryset.filter(**{f"{field}__gte": moment}).order_by(field, "pk")
    before = queryset.filter(**{f"{field}__lt": moment}).order_by(f"-{field}", "-pk")
    if low == 0:
        kept = [_kept_select(part, columns, lambda part=part: part.values_list(*columns)) for part in (after, before)]
        if None not in kept:
            return _first_rows(queryset.db, kept, columns, field, high)
    rows = fetch_rows(after, columns, low, high)
    if len(rows) == high - low:
        return rows
    after_count = low + len(rows) if rows or not low else fetch_value(after, Count("*"))
    return rows + fetch_rows(before, columns, max(0, low - after_count), high - after_count)


def _first_rows(using, kept, columns, field, high) -> list[tuple]:
    """`split_page`'s first `high` rows: the two parts' first rows in one statement, put in order here."""
    (after_sql, converters, after_params), (before_sql, _, before_params) = kept
    limit = connections[using].ops.limit_offset_sql(0, high)
    sql = (
        f"SELECT *, 0 FROM ({after_sql} {limit}) AS after_rows "
        f"UNION ALL SELECT *, 1 FROM ({before_sql} {limit}) AS before_rows"
    )
    rows = run(using, sql, converters, (*after_params, *before_params))
    at, pk = columns.index(field), columns.index("id")
    after = sorted((row for row in rows if row[-1] == 0), key=lambda row: (row[at], row[pk]))
    before = sorted((row for row in rows if row[-1] == 1), key=lambda row: (row[at], row[pk]), reverse=True)
    return [row[:-1] for row in (after + before)[:high]]


def _page_rows(model, using, columns) -> tuple[str, tuple]:
    """The SELECT of the `columns` of the rows whose ids a statement's `page` holds, and their converters; kept."""
    key = ("page rows", model, using, columns)
    if key not in _kept:
        page_rows = model._default_manager.using(using).filter(pk__in=RawSQL("SELECT id FROM page", ())).order_by()
        _kept[key] = compile_select(page_rows.values_list(*columns))[::2]  # no parameters
    return _kept[key]


def _kept_select(queryset, what, build) -> tuple | None:
    """(sql, converters, params) of `build()` (selecting `what` from the queryset), its SQL kept per shape, or None."""
    shape = query_shape(queryset)
    if shape is None:
        return None
    key, params = (*shape[0], what), shape[1]
    try:
        kept = _kept[key]
    except KeyError:
        sql, all_params, converters = compile_select(build())
        # Kept only when the WHERE's parameters are the statement's only ones, in order.
        kept = (sql, converters) if all_params == params else None
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = kept
    return None if kept is None else (*kept, params)


class KeptQuery:
    """
    A read of fixed shape that every request runs, `build(*values)` (a `values_list`), compiled
    once per database and types of values and then only given new values: no filter is built
    per request. Kept only when the compiled parameters are the values, in order.
    """

    def __init__(self, build):
        self.build, self.kept = build, {}

    def rows(self, *values, using="default") -> list[tuple]:
        key = (using, *map(type, values))
        if key not in self.kept:
            sql, params, converters = compile_select(self.build(*values).using(using))
            self.kept[key] = (sql, converters) if params == values else None
        if self.kept[key] is None:
            return list(self.build(*values).using(using))
        return run(using, *self.kept[key], values)


def run(using, sql, converters, params, low=0, high=None) -> list[tuple]:
    """Run a SELECT with `params`, rows [low:high], each value through its column's converters (by position)."""
    connection = connections[using]
    if low or high is not None:
        sql = f"{sql} {connection.ops.limit_offset_sql(low, high)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return convert_rows(rows, converters, connection) if converters else rows


def can_insert_together(*objs: Model) -> bool:
    """Whether `insert_together` saves these in one statement: on PostgreSQL, for models saved by `Model.save`."""
    using = router.db_for_write(type(objs[0]), instance=objs[0])
    return connections[using].vendor == "postgresql" and all(type(obj).save is Model.save for obj in objs)


def insert_together(parent, children: list[tuple[Model, list[str]]], *, savepoint: bool = True) -> None:
    """
    Save `parent`, then each child with its `links` (field names) set to it, as `save()` does
    (signals, values made by the database read back), as one statement on PostgreSQL,
    `WITH new_parent AS (INSERT …), new_child_0 AS (INSERT …) …`: atomic by itself, one round
    trip instead of one per row and read-back. Elsewhere (SQLite has no INSERT in WITH), or for
    a model with a `save()` of its own, `save()` each in a transaction.

    Inside a transaction the statement runs in a savepoint, so that a row a constraint refuses
    (a taken email) leaves the caller's transaction usable; `savepoint=False` spares the two
    round trips where no constraint can refuse the rows.
    """
    using = router.db_for_write(type(parent), instance=parent)
    connection = connections[using]
    if not can_insert_together(*_all(parent, children)):
        with transaction.atomic(using=using):
            parent.save(using=using, force_insert=True)
            for child, links in children:
                _link(child, links, parent)
                child.save(using=using, force_insert=True)
        return
    for obj in _all(parent, children):
        before_insert(obj, using)
    pk = connection.ops.quote_name(parent._meta.pk.column)
    statements = [insert_statement(parent, connection)]
    for child, links in children:
        for link in links:
            field = child._meta.get_field(link)
            setattr(child, field.attname, RawSQL(f"SELECT {pk} FROM new_parent", (), output_field=field))
        statements.append(insert_statement(child, connection))
    names = ["new_parent", *(f"new_child_{number}" for number in range(len(children)))]
    ctes = ", ".join(f"{name} AS ({sql})" for name, (sql, _, _) in zip(names, statements, strict=True))
    params = [param for _, statement_params, _ in statements for param in statement_params]
    # Rows whose every value is set here (a UUID key) return nothing; PostgreSQL runs their INSERT all the same.
    returning = [name for name, (_, _, returns) in zip(names, statements, strict=True) if returns]
    sql = f"WITH {ctes} SELECT * FROM {', '.join(returning)}" if returning else f"WITH {ctes} SELECT 1"
    # In a transaction, a savepoint: a failed insert leaves the caller's transaction usable.
    with transaction.atomic(using=using) if savepoint and connection.in_atomic_block else nullcontext():
        first = run(using, sql, (), params)[0]
    values = list(first) if returning else []
    for child, links in children:
        _link(child, links, parent)
    for obj, (_, _, returns) in zip(_all(parent, children), statements, strict=True):
        after_insert(obj, returns, [values.pop(0) for _ in returns], connection)


def insert_rows(rows: list[Model]) -> None:
    """
    Save new rows of any models, as `save()` does: on PostgreSQL in one statement
    (`insert_together`, unlinked), for rows no constraint refuses (feed entries, history records).
    """
    if len(rows) > 1:
        insert_together(rows[0], [(row, []) for row in rows[1:]], savepoint=False)
    elif rows:
        rows[0].save(force_insert=True)


def plan_for_values(using: str = "default") -> None:
    """
    For the rest of the transaction, PostgreSQL plans each prepared statement for the values it is
    given (`plan_cache_mode`). A job that fills a table (an import) runs the same statements
    hundreds of times on one connection: planned generically while the table was small, a lookup
    by email among a batch's thousand addresses became a scan of the whole table with each row
    compared to each address, 5 s a batch at 100,000 candidates (bench/README.md, "Issue 32").
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")


def bulk_insert(objs: list[Model]) -> None:
    """
    Save new rows of one model as `bulk_create` does (no signals; every object given its key and
    marked saved), in batches no statement's parameters overflow, for rows of values: their foreign
    keys set (a related object saved after it was assigned is not looked at), no expressions (a
    TypeError). On PostgreSQL by COPY: the keys taken from the id sequence in one statement, the
    rows streamed in PostgreSQL's text format, with no SQL to compile nor parameters to bind
    (bench/README.md, "Issue 32"). Rows given a key keep it.
    """
    if not objs:
        return
    model, meta = type(objs[0]), objs[0]._meta
    using = router.db_for_write(model, instance=objs[0])
    connection = connections[using]
    fields = [field for field in meta.get_fields() if field.concrete]
    inherited = any(field.model is not model for field in fields)  # multi-table: rows in two tables
    if connection.vendor != "postgresql" or inherited or any(_made_by_database(field) for field in fields):
        model._default_manager.using(using).bulk_create(objs, batch_size=rows_per_insert(model))
        return
    quote = connection.ops.quote_name
    statement = f"COPY {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) FROM STDIN"
    with connection.cursor() as cursor, database_errors(connection):
        if keyless := [obj for obj in objs if obj.pk is None]:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(meta.db_table), meta.pk.column, len(keyless)],
            )
            for obj, (pk,) in zip(keyless, sorted(cursor.fetchall()), strict=True):
                obj.pk = pk
        with cursor.copy(statement) as copy:
            for row in zip(*(_db_values(field, objs, connection) for field in fields), strict=True):
                copy.write_row(row)
    for obj in objs:
        mark_saved(obj, using)


#: Values whose `get_db_prep_save` depends on nothing but the value (and the field and connection).
_PLAIN = frozenset({type(None), bool, int, float, str, decimal.Decimal, uuid.UUID, datetime.date, datetime.datetime})


def _db_values(field, objs: list[Model], connection) -> list:
    """
    The field's values of `objs` as `save()` stores them (`pre_save`, `get_db_prep_save`), each
    plain value prepared once: a batch's stages, counts, moments and empty values repeat, and
    preparing an integer (psycopg's typed wrapper) or a moment costs more than the rest of the row.
    """
    prepare, known, values = field.get_db_prep_save, {}, []
    for obj in objs:
        value = field.pre_save(obj, True)
        if type(value) in _PLAIN:
            key = (type(value), value)
            if (prepared := known.get(key, known)) is known:
                prepared = known[key] = prepare(value, connection)
            values.append(prepared)
        elif hasattr(value, "resolve_expression"):
            raise TypeError(f"bulk_insert stores values, not expressions ({field.name}: {type(value).__name__})")
        else:
            values.append(prepare(value, connection))
    return values


def _made_by_database(field) -> bool:
    """Whether the database makes the value (a default of its own, a generated column): `bulk_create` reads it back."""
    return field.generated or field.db_default is not NOT_PROVIDED


def _all(parent, children) -> list[Model]:
    return [parent, *(child for child, _ in children)]


def _link(child, links: list[str], parent) -> None:
    """Point the child's `links` at the saved parent: a relation to the object, a plain column to its key."""
    for link in links:
        field = child._meta.get_field(link)
        setattr(child, link if field.is_relation else field.attname, parent if field.is_relation else parent.pk)
