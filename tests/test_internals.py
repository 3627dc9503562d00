"""
The private internals the project uses (recruitos/internals.py), each checked as it is used, so
that a Django or DRF release that changes one fails here, by name, rather than silently in
production; and what recruitos/sql.py builds on them, held to the ORM's own answers.
"""

import datetime
import pathlib

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, FilteredRelation, Max, Q, Value
from django.db.models.functions import Concat, Upper
from django.db.models.sql import InsertQuery
from rest_framework import serializers

from candidates.models import Candidate
from dashboard.models import Activity
from history.models import HistoryRecord
from interviews.models import Interview
from recruitos import internals, sql
from recruitos.internals import compile_select, copy_fields, insert_statement, query_shape
from recruitos.sql import fetch_rows, fetch_value, ordered_page
from tests.factories import CandidateFactory, InterviewFactory

COLUMNS = ("id", "first_name", "email", "phase", "applied_date")

pytestmark = pytest.mark.usefixtures("nothing_kept")


@pytest.fixture
def candidates(db):
    return [CandidateFactory(first_name=f"Ann{n}", phase=1 + n % 2) for n in range(7)]


def orm(queryset, low=0, high=None):
    return list(queryset.values_list(*COLUMNS)[low:high])


# What each internal must still be, by name.


def test_the_compiler_gives_sql_parameters_and_converters_by_position(db):
    query = Candidate.objects.filter(phase=2).values_list(*COLUMNS).query
    compiler = query.get_compiler("default")
    sql_text, params = compiler.as_sql()
    assert sql_text.startswith("SELECT")
    assert tuple(params) == (2,)
    assert compiler.col_count == len(COLUMNS)
    assert all(len(selected) == 3 for selected in compiler.select)  # (expression, (sql, params), alias)
    assert isinstance(compiler.get_converters([column for column, _, _ in compiler.select]), dict)
    assert compiler.compile(query.where)[1] == [2]
    assert "LIMIT" in connection.ops.limit_offset_sql(0, 5).upper()


def test_joins_compare_by_table_relation_and_condition():
    """`Query.alias_map` holds Join objects whose equality tells two relations to one table apart."""
    by_notes = Candidate.objects.alias(x=FilteredRelation("interviews", condition=Q(interviews__notes="a")))
    by_type = Candidate.objects.alias(x=FilteredRelation("interviews", condition=Q(interviews__type="a")))
    joins = [q.filter(x__rating=5).query for q in (by_notes, by_type, by_notes)]
    first, other, again = ({a: j for a, j in query.alias_map.items() if a == "x"}["x"] for query in joins)
    assert first != other
    assert first == again
    assert first.join_type == "INNER JOIN"
    for flag in ("is_sliced", "extra", "extra_tables", "extra_order_by", "combinator", "group_by", "distinct",
                 "select_for_update", "values_select", "order_by", "default_ordering", "standard_ordering",
                 "annotations", "where"):  # fmt: skip
        assert hasattr(joins[0], flag), flag


def test_the_insert_compiler_returns_the_fields_save_reads_back(db):
    meta = Candidate._meta
    assert meta.auto_field is meta.pk
    assert meta.pk in meta.db_returning_fields
    assert meta.auto_field in meta.local_concrete_fields
    query = InsertQuery(Candidate)
    query.insert_values([meta.get_field("first_name")], [Candidate(first_name="Ada")])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = meta.db_returning_fields
    [(statement, params)] = compiler.as_sql()
    assert statement.startswith('INSERT INTO "candidates_candidate"')
    assert tuple(params) == ("Ada",)
    if connection.features.can_return_columns_from_insert:
        assert "RETURNING" in statement


def test_a_copied_field_is_bound_anew_and_a_nested_serializer_is_a_new_one():
    class Inner(serializers.Serializer):
        name = serializers.CharField()

    class Outer(serializers.Serializer):
        name = serializers.CharField()
        inner = Inner(many=True)

    prototype = Outer().get_fields()  # as the serializer keeps them: built, not yet bound
    copied = copy_fields(dict(prototype))
    assert copied["name"] is not prototype["name"]
    assert copied["name"].max_length == prototype["name"].max_length
    assert copied["inner"] is not prototype["inner"]
    assert copied["inner"].child is not prototype["inner"].child
    copied["name"].bind("name", Outer())
    assert copied["name"].field_name == "name"
    assert prototype["name"].parent is not copied["name"].parent


# What recruitos.sql builds on them.


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: Candidate.objects.all(),
        lambda: Candidate.objects.filter(phase=2),
        lambda: Candidate.objects.filter(phase=2, first_name__icontains="ann"),
        lambda: Candidate.objects.filter(Q(phase=1) | Q(email__iendswith="example.com")).order_by("-first_name"),
        lambda: Candidate.objects.filter(id__in=[1, 2, 3]),
        lambda: Candidate.objects.filter(phase=1).reverse(),
        lambda: Candidate.objects.annotate(shout=Upper("first_name")).filter(shout="ANN1"),
        lambda: Candidate.objects.extra(where=["phase = %s"], params=[2]),
        lambda: Candidate.objects.filter(interviews__interviewer="Dana").order_by("id"),
        lambda: Candidate.objects.filter(phase=1).distinct(),
        lambda: Candidate.objects.none(),
    ],
)
def test_rows_are_the_orms_rows_on_the_first_and_the_kept_call(candidates, queryset):
    InterviewFactory(candidate=candidates[0], interviewer="Dana")
    for low, high in ((0, None), (0, 3), (2, 5)):
        assert fetch_rows(queryset(), COLUMNS, low, high) == orm(queryset(), low, high)
        assert fetch_rows(queryset(), COLUMNS, low, high) == orm(queryset(), low, high)


def test_the_same_shape_with_new_values_reuses_the_sql_and_reads_the_new_values(candidates):
    assert [row[3] for row in fetch_rows(Candidate.objects.filter(phase=1), COLUMNS)] == [1, 1, 1, 1]
    kept = len(sql._kept)
    assert [row[3] for row in fetch_rows(Candidate.objects.filter(phase=2), COLUMNS)] == [2, 2, 2]
    assert len(sql._kept) == kept


def test_a_query_and_its_reverse_are_not_confused(candidates):
    forward = fetch_rows(Candidate.objects.order_by("id"), ("id",))
    assert fetch_rows(Candidate.objects.order_by("id").reverse(), ("id",)) == forward[::-1]


def test_annotations_of_one_name_but_other_meaning_are_not_confused(candidates):
    for expression in (F("first_name"), F("email")):
        queryset = Candidate.objects.annotate(key=expression).order_by("key", "id")
        assert fetch_rows(queryset, ("id",)) == list(queryset.values_list("id"))


def test_a_write_is_seen_by_the_next_read(candidates):
    queryset = lambda: Candidate.objects.filter(phase=1)  # noqa: E731
    before = fetch_rows(queryset(), ("id",))
    new = CandidateFactory(phase=1)
    assert set(fetch_rows(queryset(), ("id",))) == set(before) | {(new.id,)}
    assert fetch_value(queryset(), Count("*")) == len(before) + 1


def test_values_keep_their_python_types(candidates):
    (row,) = fetch_rows(Candidate.objects.filter(pk=candidates[0].pk), COLUMNS)
    assert isinstance(row[4], datetime.datetime)
    assert row[4].tzinfo is not None
    assert row == orm(Candidate.objects.filter(pk=candidates[0].pk))[0]


def test_aggregates_match_the_orm(candidates):
    InterviewFactory.create_batch(3, candidate=candidates[1])
    for _ in range(2):
        assert fetch_value(Candidate.objects.filter(phase=2), Count("*")) == 3
        assert fetch_value(Candidate.objects.filter(phase=9), Count("*")) == 0
        assert fetch_value(Interview.objects.all(), Max("candidate_id")) == candidates[1].id
        assert fetch_value(Candidate.objects.none(), Count("*")) == 0


def test_parameters_outside_the_where_clause_are_not_kept(candidates):
    """An ordering by a parameterised expression: rerunning the text with the WHERE's values only would be wrong."""
    queryset = lambda value: Candidate.objects.filter(phase=1).order_by(Concat("first_name", Value(value)), "id")  # noqa: E731
    assert fetch_rows(queryset("a"), ("id",)) == list(queryset("a").values_list("id"))
    assert list(sql._kept.values()) == [None]


def test_the_store_is_bounded(candidates, monkeypatch):
    monkeypatch.setattr(sql, "MAX_KEPT", 3)
    for n in range(1, 11):  # `id IN (%s, …)` with n placeholders: ten shapes
        queryset = Candidate.objects.filter(id__in=range(n)).order_by("id")
        assert fetch_rows(queryset, ("id",)) == list(queryset.values_list("id"))
    assert 1 <= len(sql._kept) <= 3


def test_a_shape_is_what_decides_the_sql(candidates):
    assert query_shape(Candidate.objects.filter(phase=1))[1] == (1,)
    assert query_shape(Candidate.objects.filter(phase=1))[0] == query_shape(Candidate.objects.filter(phase=2))[0]
    assert query_shape(Candidate.objects.filter(phase=1)[:2]) is None
    assert query_shape(Candidate.objects.none()) is None
    assert compile_select(Candidate.objects.filter(phase=1).values_list("id"))[1] == (1,)


@pytest.mark.parametrize(("low", "high"), [(0, 10), (1, 3), (3, 5), (9, 12)])
def test_a_page_and_its_total_are_the_orms(candidates, low, high):
    matches = Candidate.objects.filter(phase=1).search("ann")
    for _ in range(2):
        expected = list(matches.order_by("-applied_date", "-id").values_list(*COLUMNS)[low:high]), matches.count()
        assert ordered_page(matches, "applied_date", COLUMNS, low, high) == expected


def test_insert_statement_is_the_insert_save_runs(db):
    candidate = Candidate(first_name="Ada", last_name="L", email="ada@example.com", position="Dev")
    statement, params, returned = insert_statement(candidate, connection)
    assert statement.startswith('INSERT INTO "candidates_candidate"')
    assert "Ada" in params
    assert "ada@example.com" in params
    assert returned == [Candidate._meta.pk]


def test_a_kept_insert_is_what_django_compiles_with_the_new_values(db):
    def statement(email):
        moment = datetime.datetime(2031, 3, 4, 9, tzinfo=datetime.UTC)
        candidate = Candidate(first_name="Ada", email=email, position="Dev", applied_date=moment, last_updated=moment)
        return insert_statement(candidate, connection)

    first = statement("ada@example.com")
    kept = statement("grace@example.com")  # the shape's SQL, kept, with the new values
    internals._INSERTS.clear()
    compiled = statement("grace@example.com")
    assert kept == compiled
    assert first[0] == kept[0]
    assert "grace@example.com" in kept[1]
    assert "ada@example.com" not in kept[1]


def test_an_insert_with_a_json_value_is_kept_too(db):
    """A history record's `changes` reach the database wrapped (psycopg's Jsonb on PostgreSQL): its SQL is kept all the same."""

    def statement(changes):
        record = HistoryRecord(subject="candidate", object_id=1, via="api", action="updated", changes=changes)
        return insert_statement(record, connection)

    internals._INSERTS.clear()
    first = statement({"notes": {"from": None, "to": "a"}})
    assert len(internals._INSERTS) == 1
    kept = statement({"notes": {"from": "a", "to": "b"}})
    assert kept[0] == first[0]
    stored = HistoryRecord.objects.create(subject="candidate", object_id=1, via="api", action="updated", changes={})
    with connection.cursor() as cursor:  # the kept SQL with the new values stores them
        cursor.execute(f"{kept[0].split(' RETURNING ')[0]} RETURNING id", kept[1])
        (pk,) = cursor.fetchone()
    assert HistoryRecord.objects.get(pk=pk).changes == {"notes": {"from": "a", "to": "b"}}
    assert pk != stored.pk


def test_insert_together_reads_back_what_the_database_makes_and_links_the_two(db):
    candidate = Candidate(first_name="Ada", last_name="L", email="ada@example.com", position="Dev")
    entry = Activity(event="applied", candidate_name="Ada L")
    sql.insert_together(candidate, [(entry, ["candidate"])])
    assert candidate.pk == Candidate.objects.get().pk
    assert entry.pk == Activity.objects.get().pk
    assert Activity.objects.get().candidate_id == candidate.pk
    assert not candidate._state.adding
    assert candidate._state.db == "default"
    assert entry.timestamp == Activity.objects.get().timestamp


def test_a_model_with_a_save_of_its_own_is_saved_by_it(db, monkeypatch):
    calls = []

    def save(self, *args, **kwargs):
        calls.append(type(self).__name__)
        return super(Candidate, self).save(*args, **kwargs)

    monkeypatch.setattr(Candidate, "save", save)
    sql.insert_together(
        Candidate(first_name="A", email="a@example.com", position="D"), [(Activity(event="applied"), ["candidate"])]
    )
    assert calls == ["Candidate"]
    assert Activity.objects.get().candidate_id == Candidate.objects.get().pk


def test_an_insert_sends_what_save_sends_and_leaves_the_object_as_save_does(db):
    """`before_insert`/`after_insert` (PostgreSQL's one-statement insert) send what save() sends, and mark the row saved."""
    from django.db.models.signals import post_save, pre_save

    def inserted(insert) -> tuple[list, Activity]:
        heard = []

        def listen(signal):
            def receiver(sender, instance, signal, **kwargs):
                heard.append((signal is pre_save, sender, kwargs, instance._state.adding))

            return receiver

        receivers = {pre_save: listen(pre_save), post_save: listen(post_save)}
        for signal, receiver in receivers.items():
            signal.connect(receiver, sender=Activity)
        activity = Activity(event="applied")
        try:
            insert(activity)
        finally:
            for signal, receiver in receivers.items():
                signal.disconnect(receiver, sender=Activity)
        return heard, activity

    by_save, saved = inserted(lambda activity: activity.save(force_insert=True))
    together, inserted_together = inserted(lambda activity: sql.insert_together(activity, []))
    assert together == by_save
    assert [(pre, adding) for pre, _, _, adding in by_save] == [(True, True), (False, False)]
    assert (inserted_together._state.adding, inserted_together._state.db) == (False, "default")
    assert inserted_together.pk == saved.pk + 1


def test_rows_are_converted_as_django_converts_them(db):
    """`convert_rows` applies `compile_select`'s converters by position, as the ORM does."""
    CandidateFactory(first_name="Ada", experience=3)
    queryset = Candidate.objects.values_list("applied_date", "experience", "first_name")
    sql_text, params, converters = compile_select(queryset)
    with connection.cursor() as cursor:
        cursor.execute(sql_text, params)
        raw = cursor.fetchall()
    assert internals.convert_rows(raw, converters, connection) == list(queryset)


def test_internals_stays_small():
    assert len(pathlib.Path(internals.__file__).read_text().splitlines()) <= 200
    assert get_user_model()  # the key lookup's model is the configured one
