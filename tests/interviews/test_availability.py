"""`GET /api/interviews/availability`: an interviewer's free windows within working hours."""

import datetime

from django.test import override_settings

from tests.factories import InterviewFactory

URL = "/api/interviews/availability"


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2031, 3, day, hour, minute, tzinfo=datetime.UTC)


def windows(client, **query):
    response = client.get(URL, {"interviewer": "Michael Chen", "date": "2031-03-04", **query})
    assert response.status_code == 200, response.json()
    assert response["X-Total-Count"] == str(len(response.json()))
    return [(window["start"], window["end"]) for window in response.json()]


def test_free_windows_are_the_working_day_around_scheduled_interviews(auth_client):
    InterviewFactory(interviewer="michael chen ", scheduled_date=at(4, 10), duration=60)
    InterviewFactory(interviewer="Michael Chen", scheduled_date=at(4, 13, 30), duration=90)
    InterviewFactory(interviewer="Michael Chen", scheduled_date=at(4, 11), duration=60, status="Cancelled")
    InterviewFactory(interviewer="Jane Doe", scheduled_date=at(4, 9), duration=60)  # someone else's
    InterviewFactory(interviewer="Michael Chen", scheduled_date=at(3, 23), duration=600)  # the night, to 09:00
    assert windows(auth_client) == [
        ("2031-03-04T09:00:00Z", "2031-03-04T10:00:00Z"),
        ("2031-03-04T11:00:00Z", "2031-03-04T13:30:00Z"),
        ("2031-03-04T15:00:00Z", "2031-03-04T17:00:00Z"),
    ]
    assert windows(auth_client, duration=120) == [
        ("2031-03-04T11:00:00Z", "2031-03-04T13:30:00Z"),
        ("2031-03-04T15:00:00Z", "2031-03-04T17:00:00Z"),
    ]
    assert windows(auth_client, duration=121) == [("2031-03-04T11:00:00Z", "2031-03-04T13:30:00Z")]


def test_a_long_interview_from_the_day_before_takes_the_morning(auth_client):
    InterviewFactory(interviewer="Michael Chen", scheduled_date=at(3, 20), duration=900)  # to 11:00
    assert windows(auth_client) == [("2031-03-04T11:00:00Z", "2031-03-04T17:00:00Z")]


def test_a_fully_booked_day_has_no_windows(auth_client):
    InterviewFactory(interviewer="Michael Chen", scheduled_date=at(4, 8), duration=600)
    assert windows(auth_client) == []


@override_settings(TIME_ZONE="Europe/Berlin", WORKING_HOURS="08:30-12:00")
def test_working_hours_are_in_the_time_zone(auth_client):
    assert windows(auth_client) == [("2031-03-04T08:30:00+01:00", "2031-03-04T12:00:00+01:00")]


@override_settings(TIME_ZONE="America/New_York", WORKING_HOURS="00:00-24:00")
def test_a_day_that_skips_an_hour_has_23(auth_client):
    """2031-03-09 in New York: clocks go from 02:00 to 03:00."""
    day = {"date": "2031-03-09"}
    assert windows(auth_client, **day) == [("2031-03-09T00:00:00-05:00", "2031-03-10T00:00:00-04:00")]
    assert windows(auth_client, **day, duration=23 * 60) == [("2031-03-09T00:00:00-05:00", "2031-03-10T00:00:00-04:00")]
    assert windows(auth_client, **day, duration=23 * 60 + 1) == []


@override_settings(TIME_ZONE="America/New_York", WORKING_HOURS="01:00-04:00")
def test_working_hours_across_the_change_are_the_hours_that_pass(auth_client):
    """01:00 EST to 04:00 EDT is two hours, not three."""
    day = {"date": "2031-03-09"}
    assert windows(auth_client, **day, duration=120) == [("2031-03-09T01:00:00-05:00", "2031-03-09T04:00:00-04:00")]
    assert windows(auth_client, **day, duration=121) == []


def test_past_time_is_not_free(auth_client):
    assert windows(auth_client, date="2001-01-01") == []


def test_bad_queries_are_400s_naming_the_parameter(auth_client):
    cases = {
        "interviewer": {"date": "2031-03-04"},
        "date": {"interviewer": "Michael Chen", "date": "tomorrow"},
        "duration": {"interviewer": "Michael Chen", "date": "2031-03-04", "duration": "0"},
    }
    for field, query in cases.items():
        response = auth_client.get(URL, query)
        assert response.status_code == 400
        assert response.json()["detail"] == "Validation error"
        assert [error["field"] for error in response.json()["errors"]] == [field]


def test_bad_working_hours_fail_the_system_check(settings):
    from interviews.availability import check_working_hours

    settings.WORKING_HOURS = "17:00-09:00"
    assert [error.id for error in check_working_hours()] == ["interviews.E001"]
    settings.WORKING_HOURS = "09:00-17:30"
    assert check_working_hours() == []
