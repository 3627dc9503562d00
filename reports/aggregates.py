"""
`Percentile`: PostgreSQL's `percentile_cont`, and the same function for SQLite, which has none.

PostgreSQL's ordered-set aggregate is used as it is. SQLite gets a Python aggregate of that
name, registered on each new connection (as Django registers its own SQLite functions), so a
report is one query on both databases and gives the same numbers.
"""

import math

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, FloatField
from django.dispatch import receiver


class Percentile(Aggregate):
    """The continuous percentile (linear interpolation) of the non-null values; `fraction` in [0, 1]."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, output_field=None, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile's fraction is between 0 and 1.")
        super().__init__(expression, fraction=repr(float(fraction)), output_field=output_field or FloatField(), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="%(function)s(%(expressions)s, %(fraction)s)", **extra_context
        )


class _PercentileCont:
    """SQLite's `percentile_cont(value, fraction)`: PostgreSQL's result, nulls ignored."""

    def __init__(self):
        self.values, self.fraction = [], None

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return percentile(sorted(self.values), self.fraction)


def percentile(ordered: list, fraction: float):
    """The value at `fraction` of the way through `ordered`, interpolated between neighbours; None if empty."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@receiver(connection_created)
def _register_percentile(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("PERCENTILE_CONT", 2, _PercentileCont)
