"""
How many rows one statement may carry. PostgreSQL's protocol takes at most 65,535 parameters in one
statement, and with server-side binding (DB_PREPARE_THRESHOLD, on by default) every value is one:
a `bulk_create` or `bulk_update` of more rows than these fit in fails outright. Every bulk write
passes these as its `batch_size`.
"""

from recruitos.naming import concrete_fields

#: PostgreSQL's limit on one statement's parameters.
MAX_PARAMETERS = 65_535


def rows_per_insert(model) -> int:
    """Rows of `model` one INSERT may carry: a parameter for each of its columns."""
    return max(1, MAX_PARAMETERS // len(concrete_fields(model)))


def rows_per_update(fields) -> int:
    """Rows one `bulk_update` of `fields` may carry: each row's key, and a key and a value per field (CASE WHEN)."""
    return max(1, MAX_PARAMETERS // (1 + 2 * len(fields)))
