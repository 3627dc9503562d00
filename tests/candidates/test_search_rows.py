"""A search's page and total in one statement: `search_page` compiles it, `search_rows` keeps it where it can."""

import pytest

from candidates.models import Candidate
from candidates.selectors import search_page, search_rows
from tests.factories import CandidateFactory

COLUMNS = ("id", "first_name", "email", "applied_date")
pytestmark = pytest.mark.usefixtures("nothing_kept")


@pytest.fixture
def candidates(db):
    return [CandidateFactory(first_name=name, last_name="Lee", phase=phase, experience=1) for name, phase in
            [("Sam", 1), ("Samuel", 2), ("Samantha", 1), ("Tom", 1)]]  # fmt: skip


def orm(matches, low, high):
    """The page and total as the ORM gives them, newest applied first, then newest id."""
    ordered = matches.order_by("-applied_date", "-id").values_list(*COLUMNS)
    return list(ordered[low:high]), matches.count()


@pytest.mark.parametrize(("low", "high"), [(0, 10), (1, 2), (3, 5)])
def test_the_page_and_total_are_the_orms(candidates, low, high):
    matches = Candidate.objects.filter(phase=1).search("sam")
    expected = orm(matches, low, high)
    assert expected[1] == 2
    assert search_page(matches, COLUMNS, low, high) == expected
    assert search_rows(lambda: matches, COLUMNS, (1,), "sam", low, high, shape="phase") == expected


def test_a_kept_shape_takes_new_values(candidates):
    def rows(phase, term):
        matches = Candidate.objects.filter(phase=phase).search(term)
        found = search_rows(lambda: matches, COLUMNS, (phase,), term, 0, 10, shape="phase")
        assert found == orm(matches, 0, 10)
        return sorted(row[1] for row in found[0])

    assert rows(1, "sam") == ["Sam", "Samantha"]
    assert rows(2, "sam") == ["Samuel"]
    assert rows(1, "to") == ["Tom"]
    assert rows(1, "50%_") == []


def test_a_value_the_sql_holds_twice_is_not_kept(candidates):
    matches = Candidate.objects.filter(phase=1, experience=1).search("sam")  # 1 twice: which is which?
    assert search_rows(lambda: matches, COLUMNS, (1,), "sam", 0, 10, shape="twice") is None
    assert search_rows(lambda: matches, COLUMNS, (1,), "sam", 0, 10, shape="twice") is None  # and stays so


def test_a_value_missing_from_the_parameters_is_not_kept(candidates):
    matches = Candidate.objects.filter(phase=1).search("sam")
    assert search_rows(lambda: matches, COLUMNS, (), "sam", 0, 10, shape="missing") is None
    assert search_rows(lambda: matches, COLUMNS, (1, "x"), "sam", 0, 10, shape="extra") is None
