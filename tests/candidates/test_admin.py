"""The candidates back office: list, search, inline interviews, actions and export."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.models import Candidate
from dashboard.models import Activity
from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory

CHANGELIST = "/admin/candidates/candidate/"


def form_for(candidate, **changes):
    fields = ["first_name", "last_name", "email", "position", "phase", "status", "source"]
    data = {name: getattr(candidate, name) for name in fields}
    data.update({name: "" for name in ["phone", "skills", "experience", "notes", "resume_url", "linkedin_url"]})
    return {**data, "interviews-TOTAL_FORMS": "0", "interviews-INITIAL_FORMS": "0", **changes}


def test_the_list_shows_the_pipeline_columns_and_interview_counts(admin_client):
    sarah = CandidateFactory(first_name="Sarah", last_name="Johnson", position="Frontend Developer")
    InterviewFactory.create_batch(3, candidate=sarah)
    page = admin_client.get(CHANGELIST)
    assert page.status_code == 200
    text = page.content.decode()
    for heading in ["Name", "Email", "Position", "Phase", "Status", "Source", "Applied date", "Interviews"]:
        assert heading in text
    row = page.context["cl"].result_list[0]
    assert (row.full_name, row.interview_count) == ("Sarah Johnson", 3)


def test_search_matches_like_the_api(admin_client):
    CandidateFactory(first_name="Sarah", last_name="Johnson")
    CandidateFactory(first_name="Emma", last_name="Brown", position="Data Scientist")
    found = lambda q: [c.full_name for c in admin_client.get(CHANGELIST, {"q": q}).context["cl"].result_list]  # noqa: E731
    assert found("sarah johnson") == ["Sarah Johnson"]
    assert found("SCIENT") == ["Emma Brown"]


def test_the_lists_take_the_same_number_of_queries_however_many_rows(admin_client):
    def page_queries():
        counts = []
        for url in [CHANGELIST, "/admin/interviews/interview/"]:
            with CaptureQueriesContext(connection) as queries:
                assert admin_client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    for candidate in CandidateFactory.create_batch(5):
        InterviewFactory(candidate=candidate)
    admin_client.get("/admin/")  # the session's idle-expiry stamp is written once a minute, here
    few = page_queries()
    for candidate in CandidateFactory.create_batch(45):
        InterviewFactory.create_batch(2, candidate=candidate)
    assert page_queries() == few
    # Session, user, count of the (filtered) list, the page; interviews add the date hierarchy
    # (two) and the interviewer filter's choices. PostgreSQL first asks the planner's estimate.
    estimate = 1 if connection.vendor == "postgresql" else 0
    assert few == [4 + estimate, 7 + estimate]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the row estimate is PostgreSQL's planner statistics")
def test_a_large_unfiltered_list_is_not_counted_on_every_page_load(admin_client):
    Candidate.objects.bulk_create(
        Candidate(first_name="N", last_name=str(i), email=f"n{i}@example.com", position="Dev") for i in range(10_050)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE candidates_candidate")
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(CHANGELIST)
    assert not [q["sql"] for q in queries if "COUNT(*)" in q["sql"]]
    assert page.context["cl"].result_count > 10_000
    with CaptureQueriesContext(connection) as queries:
        filtered = admin_client.get(CHANGELIST, {"q": "n1"})
    assert any("COUNT(*)" in q["sql"] for q in queries)
    assert filtered.context["cl"].result_count == Candidate.objects.search("n1").count()


@pytest.mark.parametrize(
    ("action", "expected_status", "expected_phase"),
    [("move_to_phase_two", "New", 2), ("mark_as_hired", "Hired", 2), ("reject", "Rejected", 1)],
)
def test_pipeline_actions_go_through_the_services(admin_client, staff, action, expected_status, expected_phase):
    chosen = CandidateFactory.create_batch(2, phase=1, status="New")
    other = CandidateFactory(phase=1, status="New")
    response = admin_client.post(CHANGELIST, {"action": action, "_selected_action": [c.pk for c in chosen]})
    assert response.status_code == 302
    for candidate in chosen:
        candidate.refresh_from_db()
        assert (candidate.status, candidate.phase) == (expected_status, expected_phase)
    other.refresh_from_db()
    assert (other.status, other.phase) == ("New", 1)
    assert Activity.objects.filter(candidate__in=chosen, actor=staff).count() >= 2


def test_export_selected_to_csv(admin_client):
    chosen = CandidateFactory(first_name="Sarah")
    CandidateFactory(first_name="Other")
    response = admin_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [chosen.pk]})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["id"], row["firstName"]) for row in rows] == [(str(chosen.pk), "Sarah")]


def test_merge_action_keeps_the_first_applicant(admin_client):
    first = CandidateFactory(phone=None)
    later = CandidateFactory(phone="+1 555", applied_date=first.applied_date.replace(year=first.applied_date.year + 1))
    InterviewFactory(candidate=later)
    admin_client.post(CHANGELIST, {"action": "merge_into_oldest", "_selected_action": [first.pk, later.pk]})
    assert list(Candidate.objects.values_list("pk", "phone")) == [(first.pk, "+1 555")]
    assert Interview.objects.get().candidate_id == first.pk


def test_anonymize_action(admin_client):
    candidate = CandidateFactory(first_name="Sarah", email="sarah@example.com")
    admin_client.post(CHANGELIST, {"action": "anonymize", "_selected_action": [candidate.pk]})
    candidate.refresh_from_db()
    assert (candidate.first_name, candidate.email) == ("Anonymized", f"anonymized-{candidate.pk}@anonymized.invalid")


def test_interviews_edited_inline_go_through_the_services(admin_client, staff):
    candidate = CandidateFactory(first_name="Michael", last_name="Chen")
    existing = InterviewFactory(candidate=candidate, interviewer="Jane Doe")
    data = form_for(candidate, **{
        "interviews-TOTAL_FORMS": "2", "interviews-INITIAL_FORMS": "1",
        "interviews-0-id": existing.pk, "interviews-0-candidate": candidate.pk, "interviews-0-type": "Phone",
        "interviews-0-scheduled_date_0": existing.scheduled_date.strftime("%Y-%m-%d"),
        "interviews-0-scheduled_date_1": existing.scheduled_date.strftime("%H:%M:%S"),
        "interviews-0-duration": "60", "interviews-0-interviewer": "Jane Doe", "interviews-0-status": "Completed",
        "interviews-0-rating": "4", "interviews-0-notes": "",
        "interviews-1-candidate": candidate.pk, "interviews-1-type": "Video",
        "interviews-1-scheduled_date_0": "2031-03-04", "interviews-1-scheduled_date_1": "10:00:00",
        "interviews-1-duration": "45", "interviews-1-interviewer": "John Smith", "interviews-1-status": "Scheduled",
        "interviews-1-rating": "", "interviews-1-notes": "",
    })  # fmt: skip
    response = admin_client.post(f"{CHANGELIST}{candidate.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert sorted(Interview.objects.values_list("interviewer", "status", "rating")) == [
        ("Jane Doe", "Completed", 4), ("John Smith", "Scheduled", None),
    ]  # fmt: skip
    assert sorted(entry.action for entry in Activity.objects.filter(actor=staff)) == [
        "Interview scheduled with Michael Chen", "Interview with Michael Chen completed (rating 4/5)",
    ]  # fmt: skip


def test_applied_date_and_last_updated_are_read_only(admin_client):
    candidate = CandidateFactory()
    admin_client.post(f"{CHANGELIST}{candidate.pk}/change/", form_for(candidate, applied_date="2001-01-01"))
    before = candidate.applied_date
    candidate.refresh_from_db()
    assert candidate.applied_date == before


def test_the_admin_refuses_what_the_api_refuses(admin_client):
    CandidateFactory(email="taken@example.com")
    candidate = CandidateFactory()
    page = admin_client.post(f"{CHANGELIST}{candidate.pk}/change/", form_for(candidate, email="TAKEN@example.com"))
    assert page.status_code == 200
    assert "A candidate with this email already exists." in page.content.decode()
