"""What a dump of the database would hold: every row of every table, as text."""

from django.db import connection


def every_table() -> str:
    """Every row of every table (the test's own transaction included), one `repr` per row."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows.extend(f"{table}: {row!r}" for row in cursor.fetchall())
    return "\n".join(rows)
