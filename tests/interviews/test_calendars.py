"""Interviews as iCalendar: one event, the list's filters, and the secret subscription feed."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar
from rest_framework.test import APIClient

from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory, api_key_for, person, role


def parse(response) -> list:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return calendar.walk("VEVENT")


@pytest.fixture
def interview(db):
    john = CandidateFactory(first_name="John", last_name="Doe", email="john.doe@example.com", phone="+1 555 0100")
    return InterviewFactory(
        candidate=john, type="Technical", interviewer="Michael Chen", notes="Ask about the outage",
        scheduled_date=datetime.datetime(2031, 3, 4, 15, tzinfo=datetime.UTC), duration=90,
    )  # fmt: skip


def test_one_interview_is_one_event_in_utc_without_notes_or_contact_details(auth_client, interview):
    response = auth_client.get(f"/api/interviews/{interview.pk}.ics")
    (event,) = parse(response)
    assert str(event["uid"]) == f"interview-{interview.pk}@recruitos"
    assert str(event["summary"]) == "Technical interview: John Doe"
    assert event.decoded("dtstart") == datetime.datetime(2031, 3, 4, 15, tzinfo=datetime.UTC)
    assert event.decoded("dtend") == datetime.datetime(2031, 3, 4, 16, 30, tzinfo=datetime.UTC)
    assert (event["sequence"], str(event["status"])) == (0, "CONFIRMED")
    assert b"DTSTART:20310304T150000Z" in response.content
    for private in (b"outage", b"john.doe@example.com", b"555 0100"):  # a time may hold "555"
        assert private not in response.content


@override_settings(TIME_ZONE="America/New_York")
def test_times_stay_right_across_a_daylight_saving_change(auth_client, db):
    """9:00 in New York is 14:00 UTC before 2031-03-09 and 13:00 UTC after."""
    for day in (8, 10):
        created = auth_client.post("/api/interviews", {
            "candidateId": CandidateFactory().pk, "scheduledDate": f"2031-03-{day:02}T09:00:00",
            "interviewer": "Michael Chen", "duration": 60,
        })  # fmt: skip
        assert created.status_code == 201
    events = parse(auth_client.get("/api/interviews.ics", {"interviewer": "michael chen"}))
    starts = sorted(event.decoded("dtstart") for event in events)
    assert starts == [
        datetime.datetime(2031, 3, 8, 14, tzinfo=datetime.UTC),
        datetime.datetime(2031, 3, 10, 13, tzinfo=datetime.UTC),
    ]
    assert [timezone.localtime(start).hour for start in starts] == [9, 9]


def test_the_sequence_grows_with_each_reschedule_and_a_cancellation_shows(auth_client, interview):
    url = f"/api/interviews/{interview.pk}"
    assert auth_client.put(url, {"scheduledDate": "2031-03-05T09:00:00Z"}).status_code == 200
    (event,) = parse(auth_client.get(f"{url}.ics"))
    assert (event["sequence"], event.decoded("dtstart")) == (1, datetime.datetime(2031, 3, 5, 9, tzinfo=datetime.UTC))
    assert auth_client.put(url, {"status": "Cancelled"}).status_code == 200
    (event,) = parse(auth_client.get(f"{url}.ics"))
    assert (event["sequence"], str(event["status"])) == (2, "CANCELLED")


def test_the_list_calendar_takes_the_lists_filters(auth_client, interview):
    InterviewFactory(interviewer="Jane Doe")
    assert len(parse(auth_client.get("/api/interviews.ics"))) == 2
    (event,) = parse(auth_client.get("/api/interviews.ics", {"candidateId": interview.candidate_id}))
    assert str(event["uid"]) == f"interview-{interview.pk}@recruitos"
    assert len(parse(auth_client.get("/api/interviews.ics", {"date": "2031-03-04", "status": "scheduled"}))) == 1
    bad = auth_client.get("/api/interviews.ics", {"date": "someday"})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "date")


def test_calendars_need_a_key_and_a_known_interview(api_client, auth_client, interview):
    assert api_client.get("/api/interviews.ics").status_code == 401
    assert api_client.get(f"/api/interviews/{interview.pk}.ics").status_code == 401
    missing = auth_client.get("/api/interviews/999999.ics")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Interview not found"})


def feed_path(url: str) -> str:
    parts = urlsplit(url)
    assert parts.path == "/api/calendar-feed.ics"
    return f"{parts.path}?{parts.query}"


def test_the_feed_works_without_a_header_until_it_is_replaced(auth_client, interview):
    first = auth_client.get("/api/calendar-feed").json()["url"]
    assert auth_client.get("/api/calendar-feed").json()["url"] == first  # the same until replaced
    anyone = APIClient()
    (event,) = parse(anyone.get(feed_path(first)))
    assert str(event["summary"]) == "Technical interview: John Doe"

    replaced = auth_client.post("/api/calendar-feed")
    assert replaced.status_code == 201
    second = replaced.json()["url"]
    assert second != first
    gone = anyone.get(feed_path(first))
    assert (gone.status_code, gone.json()) == (404, {"detail": "Not found."})
    assert len(parse(anyone.get(feed_path(second)))) == 1


def test_a_feed_for_one_interviewer(auth_client, interview):
    InterviewFactory(interviewer="Jane Doe")
    url = auth_client.get("/api/calendar-feed", {"interviewer": "MICHAEL CHEN"}).json()["url"]
    (event,) = parse(APIClient().get(feed_path(url)))
    assert str(event["uid"]) == f"interview-{interview.pk}@recruitos"


def test_the_feed_keeps_cancelled_interviews_for_thirty_days(auth_client, interview):
    recent = InterviewFactory(status="Cancelled")
    old = InterviewFactory(status="Cancelled")
    Interview.objects.filter(pk=old.pk).update(last_modified=timezone.now() - datetime.timedelta(days=31))
    url = auth_client.get("/api/calendar-feed").json()["url"]
    events = parse(APIClient().get(feed_path(url)))
    assert {str(event["uid"]) for event in events} == {f"interview-{pk}@recruitos" for pk in (interview.pk, recent.pk)}


def test_a_feed_stops_when_its_user_may_no_longer_see_interviews(db, interview):
    viewer = person("vera", "Viewer")
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {api_key_for(viewer)}")
    url = client.get("/api/calendar-feed").json()["url"]
    assert len(parse(APIClient().get(feed_path(url)))) == 1
    viewer.is_active = False
    viewer.save()
    assert APIClient().get(feed_path(url)).status_code == 404


def _deactivated(user):
    user.is_active = False
    user.save()
    user.is_active = True
    user.save()


def _role_taken_and_given_back(user):
    viewer = user.groups.get()
    user.groups.remove(viewer)
    user.groups.add(viewer)


def _roles_cleared(user):
    viewer = user.groups.get()
    user.groups.clear()
    user.groups.add(viewer)


def _taken_from_the_roles_side(user):
    viewer = user.groups.get()
    viewer.user_set.remove(user)
    viewer.user_set.add(user)


def _permission_taken_from_the_role(user):
    viewer = user.groups.get()
    permission = Permission.objects.get(codename="view_interview")
    viewer.permissions.remove(permission)
    viewer.permissions.add(permission)


def _permission_taken_from_every_role(user):
    permission = Permission.objects.get(codename="view_interview")
    groups = list(permission.group_set.all())
    permission.group_set.clear()
    permission.group_set.add(*groups)


def _role_deleted_then_permission_given(user):
    user.groups.get().delete()
    user.user_permissions.add(Permission.objects.get(codename="view_interview"))


def _admin_taken_and_given_back(user):
    user.groups.clear()
    user.is_superuser = True
    user.save()
    url = APIClient(HTTP_AUTHORIZATION=f"Bearer {api_key_for(user)}").get("/api/calendar-feed").json()["url"]
    user.is_superuser = False
    user.save()
    user.is_superuser = True
    user.save()
    return url


@pytest.mark.parametrize(
    "lose_and_regain",
    [
        _deactivated, _role_taken_and_given_back, _roles_cleared, _taken_from_the_roles_side,
        _permission_taken_from_the_role, _permission_taken_from_every_role, _role_deleted_then_permission_given,
        _admin_taken_and_given_back,
    ],
)  # fmt: skip
def test_a_feed_ended_by_a_loss_of_access_stays_ended_when_access_comes_back(db, interview, lose_and_regain):
    viewer = person("vera", "Viewer")
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {api_key_for(viewer)}")
    url = client.get("/api/calendar-feed").json()["url"]
    assert len(parse(APIClient().get(feed_path(url)))) == 1
    url = lose_and_regain(viewer) or url
    assert APIClient().get(feed_path(url)).status_code == 404
    fresh = client.get("/api/calendar-feed").json()["url"]  # access is back: a new address works
    assert fresh != url
    assert len(parse(APIClient().get(feed_path(fresh)))) == 1


def test_a_sign_in_or_an_unrelated_change_leaves_the_feed_working(db, interview, client):
    viewer = person("vera", "Viewer")
    url = APIClient(HTTP_AUTHORIZATION=f"Bearer {api_key_for(viewer)}").get("/api/calendar-feed").json()["url"]
    client.force_login(viewer)  # writes last_login
    viewer.first_name = "Vera"
    viewer.save()
    viewer.groups.add(role("Recruiter"))
    viewer.groups.remove(role("Recruiter"))  # still a Viewer
    assert len(parse(APIClient().get(feed_path(url)))) == 1


def test_a_tampered_or_missing_token_is_a_404(auth_client, interview):
    url = auth_client.get("/api/calendar-feed").json()["url"]
    assert APIClient().get(feed_path(url)[:-2] + "xx").status_code == 404
    assert APIClient().get("/api/calendar-feed.ics").status_code == 404


def test_someone_without_access_to_interviews_gets_no_feed(db):
    nobody = person("nora", role_name=None)
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {api_key_for(nobody)}")
    assert client.get("/api/calendar-feed").status_code == 403
