"""
The order of `GET /api/interviews`: by default, interviews from the start of today (TIME_ZONE)
come first, soonest first, then earlier ones, most recent first; `ordering` asks for plain
chronological order; a `date` is its day in time order.
"""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from interviews.selectors import today_bounds
from tests.factories import CandidateFactory, InterviewFactory

DAY = datetime.timedelta(days=1)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


@pytest.fixture
def calendar(db):
    """Interviews around today; names in the default order's sequence."""
    start, _ = today_bounds()
    candidate = CandidateFactory()
    moments = {
        "today_first": start,
        "today_later": start + datetime.timedelta(hours=20),
        "tomorrow": start + 1.5 * DAY,
        "next_week": start + 7 * DAY,
        "last_night": start - datetime.timedelta(minutes=1),
        "last_week": start - 7 * DAY,
        "last_month": start - 30 * DAY,
    }
    # A minute long: "last_night" ends as "today_first" starts, so the candidate is not double-booked.
    return {
        name: InterviewFactory(candidate=candidate, scheduled_date=at, duration=1).id for name, at in moments.items()
    }


def test_by_default_today_and_after_come_first_soonest_first_then_the_past_most_recent_first(auth_client, calendar):
    response = auth_client.get("/api/interviews")
    assert ids(response) == list(calendar.values())
    assert response["X-Total-Count"] == "7"


def test_a_candidates_interviews_come_in_the_same_order(auth_client, calendar):
    other = InterviewFactory(scheduled_date=timezone.now())  # another candidate's
    candidate_id = auth_client.get(f"/api/interviews/{calendar['tomorrow']}").json()["candidateId"]
    assert ids(auth_client.get(f"/api/interviews?candidateId={candidate_id}")) == list(calendar.values())
    assert other.id not in ids(auth_client.get(f"/api/interviews?candidateId={candidate_id}"))


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 6, 7, 10])
def test_pages_follow_the_order_across_today(auth_client, calendar, limit):
    seen = []
    for offset in range(0, 9, limit):
        response = auth_client.get(f"/api/interviews?limit={limit}&offset={offset}")
        assert response["X-Total-Count"] == "7"
        seen += ids(response)
    assert seen == list(calendar.values())


@pytest.mark.parametrize(
    ("ordering", "names"),
    [
        (
            "scheduledDate",
            ["last_month", "last_week", "last_night", "today_first", "today_later", "tomorrow", "next_week"],
        ),
        (
            "-scheduledDate",
            ["next_week", "tomorrow", "today_later", "today_first", "last_night", "last_week", "last_month"],
        ),
    ],
)
def test_ordering_asks_for_chronological_order(auth_client, calendar, ordering, names):
    response = auth_client.get(f"/api/interviews?ordering={ordering}")
    assert ids(response) == [calendar[name] for name in names]
    assert response["X-Total-Count"] == "7"
    assert ids(auth_client.get(f"/api/interviews?ordering={ordering}&limit=2&offset=3")) == [
        calendar[n] for n in names[3:5]
    ]


def test_ties_are_broken_by_id_in_the_orders_direction(auth_client, db):
    moment = timezone.now() + DAY
    made = [InterviewFactory(scheduled_date=moment).id for _ in range(3)]
    assert ids(auth_client.get("/api/interviews")) == made
    assert ids(auth_client.get("/api/interviews?ordering=scheduledDate")) == made
    assert ids(auth_client.get("/api/interviews?ordering=-scheduledDate")) == made[::-1]


def test_an_unknown_ordering_is_a_400(auth_client, db):
    response = auth_client.get("/api/interviews?ordering=interviewer")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ordering"


def test_a_day_keeps_its_time_order(auth_client, calendar):
    today = timezone.localdate()
    assert ids(auth_client.get(f"/api/interviews?date={today}")) == [calendar["today_first"], calendar["today_later"]]


def test_today_is_the_time_zones_today(auth_client, db):
    """At 10:00 UTC it is already tomorrow in Kiritimati (+14): what is before its midnight is the past there."""
    with override_settings(TIME_ZONE="Pacific/Kiritimati"), timezone.override("Pacific/Kiritimati"):
        start, _ = today_bounds()
        before = InterviewFactory(scheduled_date=start - datetime.timedelta(minutes=5)).id
        after = InterviewFactory(scheduled_date=start + datetime.timedelta(minutes=5)).id
        earlier = InterviewFactory(scheduled_date=start - DAY).id
        assert ids(auth_client.get("/api/interviews")) == [after, before, earlier]


def test_a_first_page_is_one_statement(auth_client, calendar, django_assert_num_queries):
    with django_assert_num_queries(3):  # the key, the page (both parts), the total
        assert len(ids(auth_client.get("/api/interviews?limit=5"))) == 5
    with django_assert_num_queries(2):  # the key, the page: a short page is its own total
        assert len(ids(auth_client.get("/api/interviews?limit=50"))) == 7


def test_a_candidate_with_more_interviews_than_are_read_at_once_gets_the_same_order(auth_client, db, monkeypatch):
    from recruitos import sql

    start, _ = today_bounds()
    candidate = CandidateFactory()
    made = [
        InterviewFactory(candidate=candidate, scheduled_date=start + datetime.timedelta(hours=h)).id
        for h in range(-6, 6)
    ]
    expected = made[6:] + made[:6][::-1]
    for few in (100, 3):  # all read at once; then more than that, in two parts
        monkeypatch.setattr(sql, "FEW", few)
        assert ids(auth_client.get(f"/api/interviews?candidateId={candidate.id}")) == expected
        assert ids(auth_client.get(f"/api/interviews?candidateId={candidate.id}&limit=4&offset=4")) == expected[4:8]


def test_an_ordering_that_names_no_field_is_the_default_order(auth_client, calendar):
    assert ids(auth_client.get("/api/interviews", {"ordering": ","})) == ids(auth_client.get("/api/interviews"))
    assert auth_client.get("/api/interviews.ics", {"ordering": ","}).status_code == 200
