"""Changes made in the Django admin record the same activity as the API, with the staff user."""

from candidates.models import Candidate
from dashboard.models import Activity
from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory

CANDIDATE_FORM = {
    "first_name": "Sarah",
    "last_name": "Johnson",
    "email": "sarah@example.com",
    "phone": "",
    "position": "Backend Developer",
    "phase": "1",
    "status": "New",
    "source": "LinkedIn",
    "skills": "",
    "experience": "",
    "notes": "",
    "resume_url": "",
    "linkedin_url": "",
    # The interviews inline's management form: no inline rows sent.
    "interviews-TOTAL_FORMS": "0",
    "interviews-INITIAL_FORMS": "0",
}


def actions():
    return [(entry.action, entry.candidate_name) for entry in Activity.objects.order_by("timestamp", "id")]


def test_adding_and_changing_a_candidate_in_the_admin(admin_client, staff):
    response = admin_client.post("/admin/candidates/candidate/add/", CANDIDATE_FORM)
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.phone, candidate.experience) == (None, None)

    changed = {**CANDIDATE_FORM, "status": "Hired", "phase": "2"}
    response = admin_client.post(f"/admin/candidates/candidate/{candidate.pk}/change/", changed)
    assert response.status_code == 302
    assert actions() == [
        ("applied for Backend Developer", "Sarah Johnson"),
        ("hired as Backend Developer", "Sarah Johnson"),
        ("moved to Phase 2", "Sarah Johnson"),
    ]
    assert set(Activity.objects.values_list("actor", flat=True)) == {staff.pk}
    candidate.refresh_from_db()
    assert candidate.last_updated > candidate.applied_date


def test_deleting_a_candidate_in_the_admin_erases_their_name(admin_client):
    candidate = CandidateFactory(first_name="Sarah", last_name="Johnson")
    InterviewFactory(candidate=candidate)
    admin_client.post(
        f"/admin/candidates/candidate/{candidate.pk}/change/",
        {**CANDIDATE_FORM, "status": "Screened", "email": candidate.email},
    )
    response = admin_client.post(f"/admin/candidates/candidate/{candidate.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Candidate.objects.exists()
    assert not Interview.objects.exists()
    assert actions() == [("moved to Screened", None), ("Candidate deleted", None)]


def test_the_delete_selected_action_goes_through_the_service(admin_client):
    first, second = CandidateFactory.create_batch(2)
    response = admin_client.post(
        "/admin/candidates/candidate/",
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Candidate.objects.exists()
    assert actions() == [("Candidate deleted", None), ("Candidate deleted", None)]


def test_scheduling_and_completing_an_interview_in_the_admin(admin_client, staff):
    candidate = CandidateFactory(first_name="Michael", last_name="Chen")
    form = {
        "candidate": candidate.pk,
        "type": "Video",
        "scheduled_date_0": "2031-03-04",
        "scheduled_date_1": "10:00:00",
        "duration": "60",
        "interviewer": "Jane Doe",
        "status": "Scheduled",
        "notes": "",
        "rating": "",
    }
    assert admin_client.post("/admin/interviews/interview/add/", form).status_code == 302
    interview = Interview.objects.get()
    completed = {**form, "status": "Completed", "rating": "5"}
    assert admin_client.post(f"/admin/interviews/interview/{interview.pk}/change/", completed).status_code == 302
    assert actions() == [
        ("Interview scheduled with Michael Chen", "Michael Chen"),
        ("Interview with Michael Chen completed (rating 5/5)", "Michael Chen"),
    ]
    assert set(Activity.objects.values_list("actor", flat=True)) == {staff.pk}


def test_activity_and_sync_runs_are_read_only_in_the_admin(admin_client, db):
    Activity.objects.create(event="applied", detail="Dev")
    assert admin_client.get("/admin/dashboard/activity/").status_code == 200
    assert admin_client.get("/admin/dashboard/syncrun/").status_code == 200
    assert admin_client.get("/admin/dashboard/activity/add/").status_code == 403
