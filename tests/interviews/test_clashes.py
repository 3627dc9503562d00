"""No double booking: what the API, the admin and the commands answer, on both databases."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from candidates.models import Candidate
from dashboard.models import Activity
from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory


def at(hour: int, minute: int = 0, day: int = 4) -> datetime.datetime:
    return datetime.datetime(2031, 3, day, hour, minute, tzinfo=datetime.UTC)


@pytest.fixture
def michaels_three_oclock(db):
    """Michael Chen interviews John Doe 15:00-16:00 UTC on 2031-03-04."""
    john = CandidateFactory(first_name="John", last_name="Doe")
    return InterviewFactory(candidate=john, interviewer="Michael Chen", scheduled_date=at(15), duration=60)


def book(client, candidate=None, **fields):
    body = {
        "candidateId": (candidate or CandidateFactory()).pk, "scheduledDate": "2031-03-04T15:00:00Z", "duration": 60,
        "interviewer": "Michael Chen", **fields,
    }  # fmt: skip
    return client.post("/api/interviews", body, format="json")


def busy(field: str, who: str, interview) -> dict:
    """The 409 for `who` (on `field`) being busy with `interview`, 15:00-16:00 UTC on 2031-03-04."""
    message = (
        f"{who} already has an interview from 2031-03-04T15:00:00Z to 2031-03-04T16:00:00Z (interview {interview.pk})."
    )
    return {"detail": "Interview conflict", "errors": [{"field": field, "message": message}]}


def interviewer_busy(interview) -> dict:
    return busy("scheduledDate", "Michael Chen", interview)


def candidate_busy(interview) -> dict:
    return busy("candidateId", "John Doe", interview)


def test_booking_a_busy_interviewer_is_a_409_naming_the_interview_in_the_way(auth_client, michaels_three_oclock):
    activity_before = Activity.objects.count()
    response = book(auth_client, scheduledDate="2031-03-04T15:30:00Z")
    assert response.status_code == 409
    assert response.json() == interviewer_busy(michaels_three_oclock)
    assert Interview.objects.count() == 1
    assert Activity.objects.count() == activity_before


FULL_WIDTH = "\uff2d\uff29\uff23\uff28\uff21\uff25\uff2c \uff23\uff28\uff25\uff2e"  # MICHAEL CHEN, full-width


@pytest.mark.parametrize("name", ["michael chen", "  MICHAEL CHEN ", "Michael  Chen", FULL_WIDTH])
def test_names_are_compared_ignoring_case_spacing_and_width(auth_client, michaels_three_oclock, name):
    response = book(auth_client, interviewer=name, scheduledDate="2031-03-04T14:30:00Z")
    assert response.status_code == 409
    assert response.json() == interviewer_busy(michaels_three_oclock)


def test_accents_typed_either_way_are_one_name(auth_client):
    assert book(auth_client, interviewer="Zoë Brandt").status_code == 201  # ë as one character
    assert book(auth_client, interviewer="Zoe\u0308 Brandt").status_code == 409  # e and a combining diaeresis


@pytest.mark.parametrize(("start", "duration"), [("2031-03-04T16:00:00Z", 30), ("2031-03-04T14:00:00Z", 60)])
def test_back_to_back_is_no_clash(auth_client, michaels_three_oclock, start, duration):
    assert book(auth_client, scheduledDate=start, duration=duration).status_code == 201


def test_another_interviewer_at_the_same_time_is_no_clash(auth_client, michaels_three_oclock):
    assert book(auth_client, interviewer="Jane Doe").status_code == 201


@pytest.mark.parametrize("status", ["Completed", "Cancelled"])
def test_completed_and_cancelled_interviews_block_nothing(auth_client, michaels_three_oclock, status):
    michaels_three_oclock.status = status
    michaels_three_oclock.save()
    assert book(auth_client).status_code == 201


@pytest.mark.parametrize("status", ["Completed", "Cancelled"])
def test_an_interview_logged_as_completed_or_cancelled_does_not_clash(auth_client, michaels_three_oclock, status):
    assert book(auth_client, status=status).status_code == 201


def test_the_candidates_own_clash_is_named_on_candidate_id(auth_client, michaels_three_oclock):
    response = book(auth_client, candidate=michaels_three_oclock.candidate, interviewer="Jane Doe")
    assert response.status_code == 409
    assert response.json() == candidate_busy(michaels_three_oclock)


def test_both_clashes_are_named(auth_client, michaels_three_oclock):
    response = book(auth_client, candidate=michaels_three_oclock.candidate)
    assert response.status_code == 409
    assert (
        response.json()["errors"]
        == interviewer_busy(michaels_three_oclock)["errors"] + candidate_busy(michaels_three_oclock)["errors"]
    )


def test_moving_an_interview_never_clashes_with_itself(auth_client, michaels_three_oclock):
    response = auth_client.put(
        f"/api/interviews/{michaels_three_oclock.pk}", {"scheduledDate": "2031-03-04T15:30:00Z", "duration": 90}
    )
    assert response.status_code == 200
    michaels_three_oclock.refresh_from_db()
    assert (michaels_three_oclock.scheduled_date, michaels_three_oclock.ends_at) == (at(15, 30), at(17))


@pytest.mark.parametrize(
    ("before", "change"),
    [
        ({"interviewer": "Michael Chen", "scheduled_date": at(14)}, {"scheduledDate": "2031-03-04T15:45:00Z"}),
        ({"interviewer": "Michael Chen", "scheduled_date": at(14)}, {"duration": 61}),  # longer, into 15:00
        ({"interviewer": "Jane Doe", "scheduled_date": at(15)}, {"interviewer": "michael chen"}),
        ({"interviewer": "Michael Chen", "scheduled_date": at(15), "status": "Cancelled"}, {"status": "Scheduled"}),
    ],
    ids=["time", "duration", "interviewer", "status back to Scheduled"],
)
def test_an_update_into_a_clash_is_a_409_and_changes_nothing(auth_client, michaels_three_oclock, before, change):
    other = InterviewFactory(duration=60, **before)
    stored = Interview.objects.values().get(pk=other.pk)
    response = auth_client.put(f"/api/interviews/{other.pk}", change)
    assert response.status_code == 409
    assert response.json() == interviewer_busy(michaels_three_oclock)
    assert Interview.objects.values().get(pk=other.pk) == stored


def test_moving_an_interview_to_a_busy_candidate_is_a_409(auth_client, michaels_three_oclock):
    other = InterviewFactory(interviewer="Jane Doe", scheduled_date=at(15), duration=60)
    response = auth_client.put(f"/api/interviews/{other.pk}", {"candidateId": michaels_three_oclock.candidate_id})
    assert response.status_code == 409
    assert response.json() == candidate_busy(michaels_three_oclock)


def test_the_sequence_grows_with_each_reschedule_only(auth_client, michaels_three_oclock):
    url = f"/api/interviews/{michaels_three_oclock.pk}"
    auth_client.put(url, {"notes": "Bring a laptop"})
    michaels_three_oclock.refresh_from_db()
    assert michaels_three_oclock.sequence == 0
    auth_client.put(url, {"scheduledDate": "2031-03-05T09:00:00Z"})
    auth_client.put(url, {"status": "Cancelled"})
    michaels_three_oclock.refresh_from_db()
    assert michaels_three_oclock.sequence == 2


def test_the_admin_shows_the_clash_as_a_form_error(admin_client, michaels_three_oclock):
    other = CandidateFactory()
    response = admin_client.post("/admin/interviews/interview/add/", {
        "candidate": other.pk, "type": "Phone", "scheduled_date_0": "2031-03-04", "scheduled_date_1": "15:30:00",
        "duration": "60", "interviewer": "Michael Chen", "status": "Scheduled",
    })  # fmt: skip
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {"scheduled_date": [interviewer_busy(michaels_three_oclock)["errors"][0]["message"]]}
    assert Interview.objects.count() == 1


def test_the_candidates_page_refuses_two_overlapping_new_rows(admin_client):
    john = CandidateFactory(first_name="John", last_name="Doe", email="john@example.com")
    row = {"type": "Phone", "scheduled_date_0": "2031-03-04", "duration": "60", "status": "Scheduled"}
    response = admin_client.post(f"/admin/candidates/candidate/{john.pk}/change/", {
        "first_name": "John", "last_name": "Doe", "email": "john@example.com", "position": john.position,
        "phase": "1", "status": john.status, "source": john.source,
        "interviews-TOTAL_FORMS": "2", "interviews-INITIAL_FORMS": "0",
        **{f"interviews-0-{k}": v for k, v in row.items()}, "interviews-0-scheduled_date_1": "15:00:00",
        "interviews-0-interviewer": "Jane Doe",
        **{f"interviews-1-{k}": v for k, v in row.items()}, "interviews-1-scheduled_date_1": "15:30:00",
        "interviews-1-interviewer": "Sam Patel",
    })  # fmt: skip
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "Two of these interviews overlap at 2031-03-04T15:30:00Z: the candidate cannot attend both."
    ]
    assert not Interview.objects.exists()


def test_merging_candidates_whose_interviews_overlap_is_refused_whole(michaels_three_oclock):
    john = michaels_three_oclock.candidate
    twin = CandidateFactory(first_name="Jon", last_name="Doe")
    theirs = InterviewFactory(candidate=twin, interviewer="Jane Doe", scheduled_date=at(15, 30))
    with pytest.raises(CommandError) as refused:
        call_command("merge_candidates", str(john.pk), str(twin.pk), stdout=io.StringIO())
    assert str(refused.value) == (
        f"not merged: Merged, John Doe would have overlapping interviews: interview {michaels_three_oclock.pk} "
        f"(2031-03-04T15:00:00Z to 2031-03-04T16:00:00Z) and interview {theirs.pk} (2031-03-04T15:30:00Z to "
        "2031-03-04T16:30:00Z). Move or cancel one of them first."
    )
    assert Candidate.objects.filter(pk=twin.pk).exists()
    assert Interview.objects.get(pk=theirs.pk).candidate_id == twin.pk


def test_no_overlaps_are_found_where_there_are_none(michaels_three_oclock):
    out = io.StringIO()
    call_command("find_interview_conflicts", stdout=out)
    assert out.getvalue() == "Found no overlapping interviews.\n"


def test_demo_data_books_no_one_twice(db):
    call_command("seed_demo_data", "--candidates", "600", "--interviews-per-candidate", "3", stdout=io.StringIO())
    call_command("seed_demo_data", "--candidates", "600", "--interviews-per-candidate", "3", stdout=io.StringIO())
    out = io.StringIO()
    call_command("find_interview_conflicts", stdout=out)
    assert out.getvalue() == "Found no overlapping interviews.\n"
    assert Interview.objects.filter(status="Scheduled").count() > 600  # a third or so are upcoming
