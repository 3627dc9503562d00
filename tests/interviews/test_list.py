"""`GET /api/interviews`: filters, order, pagination and the total header."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import CandidateFactory, InterviewFactory

UTC = datetime.UTC


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


def at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


@pytest.fixture
def schedule(db):
    ann, bob = CandidateFactory(), CandidateFactory()
    return {
        "ann_morning": InterviewFactory(candidate=ann, scheduled_date=at(2031, 3, 4, 9), interviewer="Jane Doe"),
        "bob_evening": InterviewFactory(candidate=bob, scheduled_date=at(2031, 3, 4, 23, 30), interviewer="John Smith",
                                        status="Cancelled"),
        "ann_next_day": InterviewFactory(candidate=ann, scheduled_date=at(2031, 3, 5, 0, 15), interviewer="Jane Doe",
                                         status="Completed", rating=5),
        "bob_earlier": InterviewFactory(candidate=bob, scheduled_date=at(2031, 3, 1, 12), interviewer="jane doe"),
    }  # fmt: skip


def test_list_is_ordered_by_scheduled_date(auth_client, schedule):
    response = auth_client.get("/api/interviews")
    assert ids(response) == [schedule[n].id for n in ["bob_earlier", "ann_morning", "bob_evening", "ann_next_day"]]
    assert response["X-Total-Count"] == "4"


def test_same_time_is_ordered_by_id(auth_client, db):
    moment = at(2031, 1, 1, 10)
    made = [InterviewFactory(scheduled_date=moment).id for _ in range(3)]
    assert ids(auth_client.get("/api/interviews")) == made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date=2031-03-04", ["ann_morning", "bob_evening"]),
        ("date=2031-03-05", ["ann_next_day"]),
        ("date=2031-03-04T12:00:00.000Z", ["ann_morning", "bob_evening"]),
        ("date=2031-03-02", []),
        ("status=Scheduled", ["bob_earlier", "ann_morning"]),
        ("status=cancelled", ["bob_evening"]),
        ("interviewer=Jane%20Doe", ["bob_earlier", "ann_morning", "ann_next_day"]),
        ("interviewer=jane", []),
        ("date=2031-03-04&interviewer=jane%20doe", ["ann_morning"]),
        ("date=2031-03-04&status=Scheduled&interviewer=Jane%20Doe", ["ann_morning"]),
    ],
)
def test_filters_combine(auth_client, schedule, query, expected):
    response = auth_client.get(f"/api/interviews?{query}")
    assert ids(response) == [schedule[name].id for name in expected]
    assert response["X-Total-Count"] == str(len(expected))


def test_candidate_filter_combines_with_the_others(auth_client, schedule):
    ann = schedule["ann_morning"].candidate_id
    assert ids(auth_client.get(f"/api/interviews?candidateId={ann}")) == [
        schedule["ann_morning"].id, schedule["ann_next_day"].id,
    ]  # fmt: skip
    assert ids(auth_client.get(f"/api/interviews?candidateId={ann}&date=2031-03-05")) == [schedule["ann_next_day"].id]
    assert ids(auth_client.get("/api/interviews?candidateId=999999")) == []


def test_date_means_the_calendar_day_in_time_zone(auth_client, schedule, settings):
    settings.TIME_ZONE = "America/New_York"
    # 2031-03-04 in New York runs from 05:00 UTC on the 4th to 05:00 UTC on the 5th.
    assert ids(auth_client.get("/api/interviews?date=2031-03-04")) == [
        schedule["ann_morning"].id, schedule["bob_evening"].id, schedule["ann_next_day"].id,
    ]  # fmt: skip
    # The frontend's toISOString() of New York midnight on the 5th is 05:00Z: that day, in New York.
    assert ids(auth_client.get("/api/interviews?date=2031-03-05T05:00:00.000Z")) == []


def test_date_is_right_across_a_daylight_saving_change(auth_client, db, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    berlin = ZoneInfo("Europe/Berlin")
    # 2031-03-30 is a 23-hour day in Berlin (clocks go forward at 02:00).
    inside = [InterviewFactory(scheduled_date=at(2031, 3, 30, h, tz=berlin)).id for h in (0, 23)]
    InterviewFactory(scheduled_date=at(2031, 3, 31, 0, tz=berlin))
    InterviewFactory(scheduled_date=at(2031, 3, 29, 23, 59, tz=berlin))
    assert ids(auth_client.get("/api/interviews?date=2031-03-30")) == inside


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date=03/04/2031", "date"),
        ("date=2031-13-01", "date"),
        ("date=tomorrow", "date"),
        ("candidateId=abc", "candidateId"),
        ("candidateId=1.5", "candidateId"),
        ("candidateId=99999999999999999999999", "candidateId"),
        ("status=Postponed", "status"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_malformed_query_parameters_are_400_naming_the_parameter(auth_client, schedule, query, field):
    response = auth_client.get(f"/api/interviews?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Validation error"
    assert [error["field"] for error in body["errors"]] == [field]


@pytest.mark.parametrize("rows", [5, 100])
def test_list_query_count_does_not_grow_with_rows(auth_client, db, django_assert_max_num_queries, rows):
    candidate = CandidateFactory()
    InterviewFactory.create_batch(rows, candidate=candidate)
    with django_assert_max_num_queries(3):
        response = auth_client.get(f"/api/interviews?limit=100&candidateId={candidate.id}")
    assert len(response.json()) == rows


@pytest.mark.parametrize(
    ("query", "expected", "total", "queries"),
    [
        ("limit=5", 3, "3", 2),  # the last page: its length is the total, no count
        ("limit=3", 3, "3", 3),  # a full page: there may be more, so a count
        ("limit=2&offset=2", 1, "3", 2),  # one candidate's interviews are read at once, in either order
        ("limit=2&offset=3", 0, "3", 3),  # past the end: nothing read tells the total
    ],
)
def test_a_last_page_needs_no_count(auth_client, db, django_assert_num_queries, query, expected, total, queries):
    candidate = CandidateFactory()
    InterviewFactory.create_batch(3, candidate=candidate)
    InterviewFactory.create_batch(2)  # another candidate's
    with django_assert_num_queries(queries):  # the key, the page (one statement for a first page), perhaps the count
        response = auth_client.get(f"/api/interviews?candidateId={candidate.id}&{query}")
    assert (len(ids(response)), response["X-Total-Count"]) == (expected, total)
