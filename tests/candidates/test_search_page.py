"""A search's page and total from one pass over its matches: the same as the ORM's page and count."""

import pytest

from candidates.models import Candidate
from candidates.selectors import search_page
from tests.factories import CandidateFactory

COLUMNS = ("id", "first_name", "email", "applied_date")


@pytest.fixture
def candidates(db):
    return [CandidateFactory(first_name=name, last_name="Lee", phase=phase, experience=1) for name, phase in
            [("Sam", 1), ("Samuel", 2), ("Samantha", 1), ("Tom", 1)]]  # fmt: skip


def orm(matches, low, high):
    """The page and total as the ORM gives them, newest applied first, then newest id."""
    ordered = matches.order_by("-applied_date", "-id").values_list(*COLUMNS)
    return list(ordered[low:high]), matches.count()


@pytest.mark.parametrize(("low", "high"), [(0, 10), (1, 2), (3, 5), (0, 1)])
def test_the_page_and_total_are_the_orms(candidates, low, high):
    matches = Candidate.objects.filter(phase=1).search("sam")
    expected = orm(matches, low, high)
    assert expected[1] == 2
    assert search_page(matches, COLUMNS, low, high) == expected
