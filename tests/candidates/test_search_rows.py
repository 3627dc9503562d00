"""`search_rows`: a search's page and total from SQL kept per shape, only where its parameters are understood."""

import pytest

from candidates.models import Candidate
from candidates.selectors import search_page, search_rows
from recruitos import sqlcache
from tests.factories import CandidateFactory

COLUMNS = ("id", "first_name", "email", "applied_date")


@pytest.fixture(autouse=True)
def nothing_kept():
    sqlcache._templates.clear()
    yield
    sqlcache._templates.clear()


@pytest.fixture
def candidates(db):
    return [CandidateFactory(first_name=name, last_name="Lee", phase=phase, experience=1) for name, phase in
            [("Sam", 1), ("Samuel", 2), ("Samantha", 1), ("Tom", 1)]]  # fmt: skip


@pytest.mark.parametrize(("low", "high"), [(0, 10), (1, 2), (3, 5)])
def test_the_page_and_total_are_the_querysets(candidates, low, high):
    matches = Candidate.objects.filter(phase=1).search("sam")
    expected_ids, expected_total = search_page(matches, low, high)
    rows, total = search_rows(lambda: matches, COLUMNS, (1,), "sam", low, high, shape="phase")
    assert total == expected_total == 2
    assert rows == [Candidate.objects.values_list(*COLUMNS).get(pk=pk) for pk in expected_ids]


def test_a_kept_shape_takes_new_values(candidates):
    def rows(phase, term):
        matches = Candidate.objects.filter(phase=phase).search(term)
        found, total = search_rows(lambda: matches, ("first_name",), (phase,), term, 0, 10, shape="phase")
        return sorted(name for (name,) in found), total

    assert rows(1, "sam") == (["Sam", "Samantha"], 2)
    assert rows(2, "sam") == (["Samuel"], 1)
    assert rows(1, "to") == (["Tom"], 1)
    assert rows(1, "50%_") == ([], 0)


def test_a_value_the_sql_holds_twice_is_not_kept(candidates):
    matches = Candidate.objects.filter(phase=1, experience=1).search("sam")  # 1 twice: which is which?
    assert search_rows(lambda: matches, COLUMNS, (1,), "sam", 0, 10, shape="twice") is None
    assert search_rows(lambda: matches, COLUMNS, (1,), "sam", 0, 10, shape="twice") is None  # and stays so


def test_a_value_missing_from_the_parameters_is_not_kept(candidates):
    matches = Candidate.objects.filter(phase=1).search("sam")
    assert search_rows(lambda: matches, COLUMNS, (), "sam", 0, 10, shape="missing") is None
    assert search_rows(lambda: matches, COLUMNS, (1, "x"), "sam", 0, 10, shape="extra") is None
