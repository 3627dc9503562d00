"""
What a calendar costs (issue 33, item 4): its events are written by rows (icalendar still escapes
and folds the text, and reads it back the same), an unchanged calendar fetched again is a 304,
and calendars are counted per user and per feed address (CALENDAR_RATE).
"""

import datetime

import pytest
from icalendar import Calendar, Event
from rest_framework.test import APIClient

from tests.factories import CandidateFactory, InterviewFactory, api_key_for, person

NAMES = [
    ("John", "Doe"),
    ("Anne-Marie, Jr.", 'O\'Neil; PhD \\ "Q"'),  # what RFC 5545 escapes: , ; \\
    (
        "Ŝtefan-Ĝeorg Ŭrsulo Ĥristoforo",
        "Ĵaŭdo-Ĉiela Ŝtelistino-Ĝardenisto",
    ),  # past 75 octets: folded mid-character never
]


@pytest.fixture
def interviews(db):
    made = []
    for n, (first, last) in enumerate(NAMES):
        candidate = CandidateFactory(first_name=first, last_name=last, email=f"p{n}@example.com")
        when = datetime.datetime(2031, 3, 4 + n, 15, 30, 15, 123456, tzinfo=datetime.UTC)
        made.append(InterviewFactory(candidate=candidate, scheduled_date=when, duration=45 + n,
                                     interviewer=f"Jane, {first}", status=["Scheduled", "Completed", "Cancelled"][n]))  # fmt: skip
    return made


def expected(interview) -> Event:
    """The event as icalendar itself builds it (what the calendars were before they were written by rows)."""
    event = Event()
    utc = datetime.UTC
    event.add("uid", f"interview-{interview.pk}@recruitos")
    event.add("dtstamp", interview.last_modified.astimezone(utc))
    event.add("last-modified", interview.last_modified.astimezone(utc))
    event.add("dtstart", interview.scheduled_date.astimezone(utc))
    event.add("dtend", interview.ends_at.astimezone(utc))
    event.add("sequence", interview.sequence)
    event.add(
        "status", {"Scheduled": "CONFIRMED", "Completed": "CONFIRMED", "Cancelled": "CANCELLED"}[interview.status]
    )
    event.add("summary", f"{interview.type} interview: {interview.candidate.full_name}")
    event.add("description", f"Interviewer: {interview.interviewer}")
    return Calendar.from_ical(event.to_ical())


def test_each_event_reads_back_as_icalendar_writes_it(auth_client, interviews):
    response = auth_client.get("/api/interviews.ics")
    assert response.status_code == 200
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))  # octets, folded where longer
    events = {str(event["uid"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")}
    for interview in interviews:
        ours, theirs = events[f"interview-{interview.pk}@recruitos"], expected(interview)
        for name in ["summary", "description", "dtstart", "dtend", "dtstamp", "last-modified", "sequence", "status"]:
            assert ours.decoded(name) == theirs.decoded(name), name
    assert str(events[f"interview-{interviews[1].pk}@recruitos"]["summary"]).endswith(NAMES[1][1])


def test_an_unchanged_calendar_is_a_304_and_a_changed_one_is_sent(auth_client, interviews):
    first = auth_client.get("/api/interviews.ics")
    etag = first["ETag"]
    again = auth_client.get("/api/interviews.ics", HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    assert auth_client.get("/api/interviews.ics", HTTP_IF_NONE_MATCH='"other", ' + etag).status_code == 304
    renamed = auth_client.patch(f"/api/candidates/{interviews[0].candidate_id}", {"firstName": "Jon"}, format="json")
    assert renamed.status_code == 200
    changed = auth_client.get("/api/interviews.ics", HTTP_IF_NONE_MATCH=etag)
    assert (changed.status_code, changed["ETag"] != etag) == (200, True)
    assert b"Jon Doe" in changed.content


def test_calendars_are_counted_per_user_and_per_feed_address(db, interviews, settings):
    settings.CALENDAR_RATE = "3/minute"
    viewer, other = person("vera", "Viewer"), person("otto", "Viewer")
    vera, otto = (APIClient(HTTP_AUTHORIZATION=f"Bearer {api_key_for(user)}") for user in (viewer, other))
    assert [vera.get("/api/interviews.ics").status_code for _ in range(4)] == [200, 200, 200, 429]
    throttled = vera.get("/api/interviews.ics")
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert throttled.json()["detail"].startswith("Request was throttled.")
    assert vera.get("/api/interviews").status_code == 200  # the rest of the API is not counted with them
    assert otto.get("/api/interviews.ics").status_code == 200  # each user their own count
    feed = vera.get("/api/calendar-feed").json()["url"].split("/api", 1)[1]
    anyone = APIClient()
    assert [anyone.get(f"/api{feed}").status_code for _ in range(4)] == [200, 200, 200, 429]
    other_feed = otto.get("/api/calendar-feed").json()["url"].split("/api", 1)[1]
    assert anyone.get(f"/api{other_feed}").status_code == 200
