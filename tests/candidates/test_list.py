"""`GET /api/candidates`: filters, search, order, pagination and the total header."""

import datetime

import factory
import pytest
from django.utils import timezone

from tests.factories import CandidateFactory


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


@pytest.fixture
def pipeline(db):
    now = timezone.now()
    make = CandidateFactory
    return {
        "sarah": make(first_name="Sarah", last_name="Johnson", email="sarah.j@mail.com", position="Frontend Developer",
                      phase=1, status="New", source="LinkedIn", applied_date=now - datetime.timedelta(days=1)),
        "michael": make(first_name="Michael", last_name="Chen", email="mchen@corp.io", position="Backend Developer",
                        phase=2, status="Technical Interview", source="Referral", applied_date=now - datetime.timedelta(days=2)),
        "emma": make(first_name="Emma", last_name="Sarahson", email="emma@mail.com", position="Data Scientist",
                     phase=2, status="Hired", source="Indeed", applied_date=now - datetime.timedelta(days=3)),
        "liam": make(first_name="Liam", last_name="Brown", email="liam@johnson-labs.com", position="QA Engineer",
                     phase=1, status="Rejected", source="Website", applied_date=now - datetime.timedelta(days=4)),
    }  # fmt: skip


def test_list_is_a_plain_array_newest_applied_first(auth_client, pipeline):
    response = auth_client.get("/api/candidates")
    assert isinstance(response.json(), list)
    assert ids(response) == [pipeline[name].id for name in ["sarah", "michael", "emma", "liam"]]
    assert response["X-Total-Count"] == "4"


def test_same_applied_date_is_ordered_by_newest_id(auth_client, db):
    moment = timezone.now()
    first, second, third = (CandidateFactory(applied_date=moment) for _ in range(3))
    assert ids(auth_client.get("/api/candidates")) == [third.id, second.id, first.id]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("phase=1", ["sarah", "liam"]),
        ("phase=2", ["michael", "emma"]),
        ("status=Hired", ["emma"]),
        ("status=technical%20interview", ["michael"]),
        ("source=referral", ["michael"]),
        ("search=sarah", ["sarah", "emma"]),
        ("search=SARAH%20JOHNSON", ["sarah"]),
        ("search=johnson", ["sarah", "liam"]),
        ("search=mail.com", ["sarah", "emma"]),
        ("search=developer", ["sarah", "michael"]),
        ("search=%20%20chen%20", ["michael"]),
        ("search=", ["sarah", "michael", "emma", "liam"]),
        ("search=%25", []),
        ("search=_", []),
        ("phase=2&search=sarah", ["emma"]),
        ("phase=1&status=Rejected&source=Website&search=brown", ["liam"]),
        ("phase=1&status=Hired", []),
    ],
)
def test_filters_combine(auth_client, pipeline, query, expected):
    response = auth_client.get(f"/api/candidates?{query}")
    assert ids(response) == [pipeline[name].id for name in expected]
    assert response["X-Total-Count"] == str(len(expected))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("phase=abc", "phase"),
        ("phase=3", "phase"),
        ("status=Ghosted", "status"),
        ("source=Monster", "source"),
        ("search=" + "x" * 201, "search"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=-5", "limit"),
        ("limit=ten", "limit"),
        ("limit=1.5", "limit"),
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
        ("offset=99999999999999999999999", "offset"),
    ],
)
def test_malformed_query_parameters_are_400_naming_the_parameter(auth_client, pipeline, query, field):
    response = auth_client.get(f"/api/candidates?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Validation error"
    assert [error["field"] for error in body["errors"]] == [field]


def test_limit_defaults_to_50_and_offset_pages_through(auth_client, db):
    everyone = sorted(CandidateFactory.create_batch(120), key=lambda c: (c.applied_date, c.id), reverse=True)
    expected = [c.id for c in everyone]
    first = auth_client.get("/api/candidates")
    assert ids(first) == expected[:50]
    assert first["X-Total-Count"] == "120"
    assert ids(auth_client.get("/api/candidates?limit=100&offset=100")) == expected[100:]
    assert ids(auth_client.get("/api/candidates?limit=1&offset=119")) == expected[119:]
    beyond = auth_client.get("/api/candidates?offset=500")
    assert ids(beyond) == []
    assert beyond["X-Total-Count"] == "120"


@pytest.mark.parametrize("rows", [5, 100])
def test_list_query_count_does_not_grow_with_rows(auth_client, db, django_assert_max_num_queries, rows):
    CandidateFactory.create_batch(rows)
    # Key lookup, count, page.
    with django_assert_max_num_queries(3):
        response = auth_client.get("/api/candidates?limit=100&search=example")
    assert len(response.json()) == rows


def test_a_search_pages_through_its_matches_with_their_total(auth_client, db):
    now = timezone.now()
    # Matches and non-matches interleaved in applied order, newest non-matching: the page
    # must still be the newest matches, and the total count only the matches.
    everyone = [
        CandidateFactory(
            first_name="Sarah" if n % 3 == 0 else "Tom", last_name="Lee", applied_date=now - datetime.timedelta(hours=n)
        )
        for n in range(30)
    ]
    matches = [c.id for c in everyone if c.first_name == "Sarah"]
    assert len(matches) == 10
    pages = {
        "limit=4": matches[:4],
        "limit=4&offset=4": matches[4:8],
        "limit=4&offset=8": matches[8:],
        "limit=4&offset=10": [],
        "limit=4&offset=500": [],
    }
    for query, expected in pages.items():
        response = auth_client.get(f"/api/candidates?search=sarah&{query}")
        assert ids(response) == expected, query
        assert response["X-Total-Count"] == "10", query
    for query in ["search=nobody", "search=nobody&offset=20"]:
        response = auth_client.get(f"/api/candidates?{query}")
        assert (ids(response), response["X-Total-Count"]) == ([], "0")


def test_a_search_with_other_filters_counts_only_rows_matching_all(auth_client, pipeline):
    response = auth_client.get("/api/candidates?search=sarah&phase=2&limit=1&offset=1")
    assert (ids(response), response["X-Total-Count"]) == ([], "1")


@pytest.mark.parametrize("filters", ["", "&phase=1&status=new&source=linkedin"])
def test_a_search_reads_its_page_and_total_in_one_statement(auth_client, db, django_assert_num_queries, filters):
    CandidateFactory.create_batch(
        5, phase=1, status="New", source="LinkedIn", email=factory.Sequence(lambda n: f"c{n}@sample.org")
    )
    other = CandidateFactory(phase=2, status="Hired", source="Referral", email="other@sample.org")
    for term in ["sample", "SAMPLE.ORG"]:
        with django_assert_num_queries(2):  # the key's user, the search
            response = auth_client.get(f"/api/candidates?search={term}{filters}&limit=3&offset=1")
        assert response["X-Total-Count"] == ("6" if not filters else "5")
        rows = response.json()
        assert len(rows) == 3
        assert rows == [
            auth_client.get(f"/api/candidates/{row['id']}").json() for row in rows
        ]  # every field, as a read
    if filters:  # other values
        response = auth_client.get("/api/candidates?search=sample&phase=2&status=hired&source=referral")
        assert (ids(response), response["X-Total-Count"]) == ([other.id], "1")
