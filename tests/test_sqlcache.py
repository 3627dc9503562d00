"""The kept SQL of `recruitos.sqlcache`: same rows as the ORM, never stale, ORM where it cannot be exact."""

import datetime

import pytest
from django.db.models import Count, Max, Q, Value
from django.db.models.functions import Concat, Upper

from candidates.models import Candidate
from interviews.models import Interview
from recruitos import sqlcache
from recruitos.sqlcache import fetch_rows, fetch_rows_matching, fetch_value, fetch_value_matching
from tests.factories import CandidateFactory, InterviewFactory

COLUMNS = ("id", "first_name", "email", "phase", "applied_date")


pytestmark = pytest.mark.usefixtures("nothing_kept")


@pytest.fixture
def candidates(db):
    return [CandidateFactory(first_name=f"Ann{n}", phase=1 + n % 2) for n in range(7)]


def orm(queryset, low=0, high=None):
    return list(queryset.values_list(*COLUMNS)[low:high])


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: Candidate.objects.all(),
        lambda: Candidate.objects.filter(phase=2),
        lambda: Candidate.objects.filter(phase=2, first_name__icontains="ann"),
        lambda: Candidate.objects.filter(Q(phase=1) | Q(email__iendswith="example.com")).order_by("-first_name"),
        lambda: Candidate.objects.filter(id__in=[1, 2, 3]),
        lambda: Candidate.objects.extra(where=["phase = %s"], params=[2]),
        lambda: Candidate.objects.filter(interviews__interviewer="Dana").order_by("id"),
    ],
)
def test_rows_are_the_orms_rows_on_the_first_and_the_cached_call(candidates, queryset):
    InterviewFactory(candidate=candidates[0], interviewer="Dana")
    for low, high in ((0, None), (0, 3), (2, 5)):
        assert fetch_rows(queryset(), COLUMNS, low, high) == orm(queryset(), low, high)
        assert fetch_rows(queryset(), COLUMNS, low, high) == orm(queryset(), low, high)


def test_the_same_shape_with_new_values_reuses_the_sql_and_reads_the_new_values(candidates):
    assert [row[3] for row in fetch_rows(Candidate.objects.filter(phase=1), COLUMNS)] == [1, 1, 1, 1]
    shapes = len(sqlcache._templates)
    assert [row[3] for row in fetch_rows(Candidate.objects.filter(phase=2), COLUMNS)] == [2, 2, 2]
    assert len(sqlcache._templates) == shapes


def test_a_write_is_seen_by_the_next_read(candidates):
    queryset = lambda: Candidate.objects.filter(phase=1)  # noqa: E731
    before = fetch_rows(queryset(), ("id",))
    new = CandidateFactory(phase=1)
    assert set(fetch_rows(queryset(), ("id",))) == set(before) | {(new.id,)}
    assert fetch_value(queryset(), Count("*")) == len(before) + 1
    Candidate.objects.filter(pk=new.pk).delete()
    assert set(fetch_rows(queryset(), ("id",))) == set(before)
    assert fetch_value(queryset(), Count("*")) == len(before)


def test_values_keep_their_python_types(candidates):
    (row,) = fetch_rows(Candidate.objects.filter(pk=candidates[0].pk), COLUMNS)
    assert isinstance(row[4], datetime.datetime)
    assert row[4].tzinfo is not None
    assert row == orm(Candidate.objects.filter(pk=candidates[0].pk))[0]


def test_aggregates_match_the_orm(candidates):
    InterviewFactory.create_batch(3, candidate=candidates[1])
    assert fetch_value(Candidate.objects.filter(phase=2), Count("*")) == Candidate.objects.filter(phase=2).count()
    assert fetch_value(Candidate.objects.filter(phase=9), Count("*")) == 0
    assert fetch_value(Interview.objects.all(), Max("candidate_id")) == candidates[1].id
    assert fetch_value(Candidate.objects.none(), Count("*")) == 0


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: Candidate.objects.annotate(shout=Upper("first_name")).filter(shout="ANN1"),
        lambda: Candidate.objects.filter(phase=1).distinct(),
        lambda: Candidate.objects.filter(phase=1).reverse(),
        lambda: Candidate.objects.extra(select={"two": "phase = %s"}, select_params=[2]).filter(phase=1),
        lambda: Candidate.objects.none(),
        lambda: Candidate.objects.filter(phase=1).order_by().union(Candidate.objects.filter(phase=2).order_by()),
    ],
)
def test_queries_the_cache_cannot_reproduce_are_run_by_the_orm_and_not_kept(candidates, queryset):
    assert fetch_rows(queryset(), COLUMNS) == orm(queryset())
    assert all(template is None for template in sqlcache._templates.values())


def test_parameters_outside_the_where_clause_are_not_kept(candidates):
    """An ordering by a parameterised expression: rerunning the text with WHERE's values only would be wrong."""
    queryset = lambda value: Candidate.objects.filter(phase=1).order_by(Concat("first_name", Value(value)), "id")  # noqa: E731
    assert fetch_rows(queryset("a"), ("id",)) == list(queryset("a").values_list("id"))
    assert list(sqlcache._templates.values()) in ([], [None])


def test_the_cache_is_bounded(candidates, monkeypatch):
    monkeypatch.setattr(sqlcache, "MAX_SHAPES", 3)
    for n in range(1, 11):  # `id IN (%s, …)` with n placeholders: ten shapes
        assert fetch_rows(Candidate.objects.filter(id__in=range(n)).order_by("id"), ("id",)) == list(
            Candidate.objects.filter(id__in=range(n)).order_by("id").values_list("id")
        )
    assert 1 <= len(sqlcache._templates) <= 3


@pytest.mark.parametrize(
    ("base", "lookup"),
    [
        (lambda: Candidate.objects.order_by("id"), "pk"),
        (lambda: Candidate.objects.filter(phase=1).order_by("id"), "pk"),
        (lambda: Candidate.objects.order_by("id"), "email"),
        (lambda: Interview.objects.order_by("id"), "candidate__email"),
    ],
)
def test_matching_reads_what_the_filter_reads_for_each_value(candidates, base, lookup):
    InterviewFactory(candidate=candidates[3])
    field = lookup.split("__")[-1]
    if field == "pk":
        values = [c.id for c in candidates] + [0]
    else:
        values = [c.email for c in candidates] + ["nobody@example.com"]
    for value in values * 2:  # the second round runs on kept SQL
        expected = list(base().filter(**{lookup: value}).values_list("id"))
        assert fetch_rows_matching(base(), ("id",), lookup, value) == expected, value
    assert [template is not None for key, template in sqlcache._templates.items() if key[0] == "match"] == [True]


@pytest.mark.parametrize("value", [None, 2**63, -(2**70), "12"])
def test_matching_values_sent_otherwise_go_through_the_orm(candidates, value):
    fetch_rows_matching(Candidate.objects.order_by("id"), ("id",), "pk", candidates[0].id)  # keeps the SQL for ints
    expected = list(Candidate.objects.filter(pk=value).values_list("id")) if value is not None else []
    assert fetch_rows_matching(Candidate.objects.order_by("id"), ("id",), "pk", value) == expected


def test_a_matching_aggregate_is_the_filters_aggregate_for_each_set_of_values(candidates):
    cases = [{"phase": 1}, {"phase": 2}, {"phase": 1, "first_name": "Ann2"}, {"phase": 2, "first_name": "Ann2"},
             {"first_name": "nobody"}, {}]  # fmt: skip
    for lookups in cases * 2:  # the second round runs on kept SQL
        expected = Candidate.objects.filter(**lookups).aggregate(n=Count("*"), newest=Max("id"))
        assert fetch_value_matching(Candidate.objects.all(), Count("*"), lookups) == expected["n"], lookups
        assert fetch_value_matching(Candidate.objects.all(), Max("id"), lookups) == expected["newest"], lookups
