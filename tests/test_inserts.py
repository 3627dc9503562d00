"""The INSERT of `recruitos.inserts`, compiled once per shape: always the SQL and values Django's compiler gives."""

import datetime

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL

from candidates.models import Candidate
from dashboard.models import Activity
from recruitos import inserts

WHEN = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def nothing_kept():
    inserts._kept.clear()
    yield
    inserts._kept.clear()


def candidate(n: int, **fields) -> Candidate:
    return Candidate(
        first_name=f"Ann{n}", last_name="Lee", email=f"ann{n}@example.com", position="Dev",
        applied_date=WHEN, last_updated=WHEN, **fields,
    )  # fmt: skip


def compiled(obj) -> tuple[str, tuple]:
    """What Django's compiler gives for `obj`, nothing kept."""
    saved = dict(inserts._kept)
    inserts._kept.clear()
    try:
        return inserts._insert_sql(obj, connection)
    finally:
        inserts._kept.clear()
        inserts._kept.update(saved)


@pytest.mark.parametrize(
    "fields",
    [{}, {"phone": "+1 555", "experience": 7, "notes": "x" * 300}, {"skills": "Go, SQL", "phase": 3, "experience": 0}],
)
def test_a_kept_insert_is_what_django_compiles(db, fields):
    first = inserts._insert_sql(candidate(1), connection)
    assert first == compiled(candidate(1))
    assert len(inserts._kept) == 1  # the shape is kept

    later = inserts._insert_sql(candidate(2, **fields), connection)
    assert later == compiled(candidate(2, **fields))
    assert later[0] == first[0]  # the same SQL, new values
    assert "ann2@example.com" in later[1]


def test_an_expression_with_values_of_its_own_is_compiled_every_time(db):
    def activity(days: int) -> Activity:
        return Activity(event="applied", timestamp=RawSQL("%s::timestamptz", [WHEN + datetime.timedelta(days=days)]))

    one, two = inserts._insert_sql(activity(1), connection), inserts._insert_sql(activity(2), connection)
    assert WHEN + datetime.timedelta(days=1) in one[1]
    assert WHEN + datetime.timedelta(days=2) in two[1]
    assert inserts._kept == {}


def test_a_parameterless_expression_is_part_of_the_shape(db):
    def activity(sql: str) -> Activity:
        return Activity(event="applied", timestamp=RawSQL(sql, ()))

    now = inserts._insert_sql(activity("CURRENT_TIMESTAMP"), connection)
    earlier = inserts._insert_sql(activity("CURRENT_TIMESTAMP - interval '1 day'"), connection)
    assert "CURRENT_TIMESTAMP" in now[0]
    assert "interval '1 day'" in earlier[0]
    assert len(inserts._kept) == 2
    assert inserts._insert_sql(activity("CURRENT_TIMESTAMP"), connection) == now
