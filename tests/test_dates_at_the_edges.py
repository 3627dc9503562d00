"""Dates at the edges of the calendar: a 400 in the contract's shape, and nothing stored breaks a page."""

import datetime
import io

import pytest
from django.core.management import call_command

from candidates.models import Candidate
from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory

DAY_OUT_OF_RANGE = {"detail": "Validation error",
                    "errors": [{"field": "date", "message": "Enter a day from 1900-01-01 to 9998-12-31."}]}  # fmt: skip
OUT_OF_RANGE = "Enter a date and time from 1900-01-01 to 9998-12-31."


@pytest.mark.parametrize(
    "day",
    ["9999-12-31", "9999-01-01", "0001-01-01", "1899-12-31", "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00",
     "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999+14:00"],
)  # fmt: skip
@pytest.mark.parametrize("settings_zone", ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_a_day_outside_the_calendar_the_project_keeps_is_a_400(auth_client, settings, day, settings_zone):
    settings.TIME_ZONE = settings_zone
    for extra in ["", "&status=Scheduled", "&ordering=scheduledDate"]:
        response = auth_client.get(f"/api/interviews?date={day.replace('+', '%2B')}{extra}")
        assert response.status_code == 400, (day, extra, response.content)
        assert response.json() == DAY_OUT_OF_RANGE


@pytest.mark.parametrize("day", ["1900-01-01", "9998-12-31", "9998-12-31T23:59:59Z", "1900-01-01T00:00:00Z"])
def test_the_first_and_last_days_kept_still_answer(auth_client, day):
    response = auth_client.get(f"/api/interviews?date={day}")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59:59Z", "9999-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z",
     "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "9999-12-31"],
)  # fmt: skip
def test_an_interview_outside_the_range_is_a_400_and_nothing_is_stored(auth_client, moment):
    candidate = CandidateFactory()
    interview = InterviewFactory(candidate=candidate)
    body = {"candidateId": candidate.pk, "type": "Technical", "scheduledDate": moment, "interviewer": "Jane Doe"}
    created = auth_client.post("/api/interviews", body)
    assert created.status_code == 400
    assert created.json()["errors"][0]["field"] == "scheduledDate"
    assert created.json()["errors"][0]["message"] in (OUT_OF_RANGE, "Datetime value out of range.")
    moved = auth_client.put(f"/api/interviews/{interview.pk}", {"scheduledDate": moment})
    assert moved.status_code == 400
    assert Interview.objects.count() == 1
    assert Interview.objects.get().scheduled_date == interview.scheduled_date


def test_an_import_with_dates_outside_the_range_reports_the_rows(db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "firstName,lastName,email,position,appliedDate\n"
        "A,B,a@example.com,Dev,9999-12-31T23:59:59Z\nC,D,c@example.com,Dev,0001-01-01T00:00:00+05:00\n"
        "E,F,e@example.com,Dev,2024-01-15T09:00:00Z\n"
    )
    err = io.StringIO()
    call_command("import_candidates", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 2: appliedDate: " in err.getvalue()
    assert "line 3: appliedDate: " in err.getvalue()
    assert list(Candidate.objects.values_list("email", flat=True)) == ["e@example.com"]


def test_interviews_stored_at_the_calendars_end_do_not_break_the_admin(admin_client):
    # Stored by an earlier version, which accepted them.
    InterviewFactory(scheduled_date=datetime.datetime(9999, 12, 31, 9, tzinfo=datetime.UTC))
    InterviewFactory(scheduled_date=datetime.datetime(1, 1, 1, 9, tzinfo=datetime.UTC))
    base = "/admin/interviews/interview/"
    for query in ["", "?scheduled_date__year=9999", "?scheduled_date__year=9999&scheduled_date__month=12",
                  "?scheduled_date__year=9999&scheduled_date__month=12&scheduled_date__day=31",
                  "?scheduled_date__year=1", f"?scheduled_date__year={10**20}", "?scheduled_date__year=-5"]:  # fmt: skip
        response = admin_client.get(base + query)
        assert response.status_code in (200, 302), (query, response.status_code)
        if response.status_code == 302:
            assert response["Location"].endswith("?e=1")
