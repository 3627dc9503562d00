"""`GET /api/activity`, and the entries every write path records."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import Candidate
from dashboard import services as dashboard_services
from dashboard.models import Activity
from imports.services import import_here
from tests.factories import CandidateFactory, InterviewFactory

SARAH = {
    "firstName": "Sarah",
    "lastName": "Johnson",
    "email": "sarah.johnson@email.com",
    "position": "Backend Developer",
}


def feed(client, query=""):
    response = client.get(f"/api/activity{query}")
    assert response.status_code == 200, response.content
    return response.json()


def without_time(items):
    return [{k: v for k, v in item.items() if k not in ("id", "timestamp")} for item in items]


def test_candidate_activity_through_the_api(auth_client, user):
    candidate_id = auth_client.post("/api/candidates", SARAH).json()["id"]
    auth_client.put(f"/api/candidates/{candidate_id}", {"status": "Phone Interview"})
    auth_client.put(f"/api/candidates/{candidate_id}", {"phase": 2, "status": "Technical Interview"})
    auth_client.put(f"/api/candidates/{candidate_id}", {"status": "hired"})
    auth_client.put(f"/api/candidates/{candidate_id}", {"notes": "no entry for notes"})
    assert without_time(feed(auth_client)) == [
        {"type": "candidate", "candidateName": "Sarah Johnson", "action": "hired as Backend Developer"},
        {"type": "candidate", "candidateName": "Sarah Johnson", "action": "moved to Phase 2"},
        {"type": "candidate", "candidateName": "Sarah Johnson", "action": "moved to Technical Interview"},
        {"type": "candidate", "candidateName": "Sarah Johnson", "action": "moved to Phone Interview"},
        {"type": "candidate", "candidateName": "Sarah Johnson", "action": "applied for Backend Developer"},
    ]
    assert set(Activity.objects.values_list("actor", flat=True)) == {user.pk}
    assert set(Activity.objects.values_list("candidate", flat=True)) == {candidate_id}


def test_interview_activity_through_the_api(auth_client):
    candidate = CandidateFactory(first_name="Michael", last_name="Chen")
    body = {"candidateId": candidate.id, "scheduledDate": "2031-03-04T10:00:00Z", "interviewer": "Jane Doe"}
    first = auth_client.post("/api/interviews", body).json()["id"]
    auth_client.put(f"/api/interviews/{first}", {"scheduledDate": "2031-03-05T10:00:00Z"})
    auth_client.put(f"/api/interviews/{first}", {"status": "Completed", "rating": 4})
    second = auth_client.post("/api/interviews", {**body, "interviewer": "John Smith"}).json()["id"]
    auth_client.put(f"/api/interviews/{second}", {"status": "Cancelled"})
    auth_client.put(f"/api/interviews/{second}", {"notes": "no entry for notes"})
    assert without_time(feed(auth_client)) == [
        {"type": "interview", "candidateName": "Michael Chen", "action": "Interview with Michael Chen cancelled",
         "interviewer": "John Smith"},
        {"type": "interview", "candidateName": "Michael Chen", "action": "Interview scheduled with Michael Chen",
         "interviewer": "John Smith"},
        {"type": "interview", "candidateName": "Michael Chen",
         "action": "Interview with Michael Chen completed (rating 4/5)", "interviewer": "Jane Doe"},
        {"type": "interview", "candidateName": "Michael Chen", "action": "Interview with Michael Chen rescheduled",
         "interviewer": "Jane Doe"},
        {"type": "interview", "candidateName": "Michael Chen", "action": "Interview scheduled with Michael Chen",
         "interviewer": "Jane Doe"},
    ]  # fmt: skip
    assert set(Activity.objects.values_list("interview", flat=True)) == {first, second}


def test_sync_activity(auth_client, db):
    rows = "".join(f"N{n},L,n{n}@example.com,Dev\n" for n in range(15))
    import_here(io.BytesIO(f"firstName,lastName,email,position\n{rows}".encode()), "candidates.csv")
    [item] = feed(auth_client)  # the import's rows have no entries of their own
    assert without_time([item]) == [
        {"type": "sync", "action": "15 new candidates synced from candidates.csv", "count": 15}
    ]


def test_items_have_string_ids_and_iso_timestamps_newest_first(auth_client, db):
    auth_client.post("/api/candidates", SARAH)
    auth_client.post("/api/candidates", {**SARAH, "email": "other@email.com", "firstName": "Emma"})
    items = feed(auth_client)
    newest, oldest = Activity.objects.order_by("-timestamp", "-id")
    assert [item["id"] for item in items] == [f"activity-{newest.pk}", f"activity-{oldest.pk}"]
    assert items[0]["candidateName"] == "Emma Johnson"
    assert items[0]["timestamp"].endswith("Z")


def test_deleting_a_candidate_erases_their_name_from_the_feed(auth_client):
    candidate_id = auth_client.post("/api/candidates", SARAH).json()["id"]
    interview = {"candidateId": candidate_id, "scheduledDate": "2031-03-04T10:00:00Z", "interviewer": "Jane Doe"}
    auth_client.post("/api/interviews", interview)
    auth_client.put(f"/api/candidates/{candidate_id}", {"status": "Screened"})
    assert auth_client.delete(f"/api/candidates/{candidate_id}").status_code == 204

    assert without_time(feed(auth_client)) == [
        {"type": "candidate", "action": "Candidate deleted"},
        {"type": "candidate", "action": "moved to Screened"},
        {"type": "interview", "action": "Interview scheduled", "interviewer": "Jane Doe"},
        {"type": "candidate", "action": "applied for Backend Developer"},
    ]
    stored = " ".join(str(value) for row in Activity.objects.values() for value in row.values()).lower()
    assert "sarah" not in stored
    assert "johnson" not in stored
    assert not Activity.objects.filter(candidate__isnull=False).exists()


def test_other_candidates_keep_their_names_when_one_is_deleted(auth_client):
    keep = auth_client.post("/api/candidates", {**SARAH, "email": "keep@email.com", "firstName": "Keep"}).json()
    gone = auth_client.post("/api/candidates", SARAH).json()
    auth_client.delete(f"/api/candidates/{gone['id']}")
    assert Activity.objects.get(candidate_id=keep["id"]).candidate_name == "Keep Johnson"


def test_a_change_and_its_activity_commit_together(auth_client, monkeypatch):
    entry = dashboard_services._entry

    def unstorable(change, event):
        activity = entry(change, event)
        activity.count = -1  # The table's check refuses it: the database fails the write.
        return activity

    monkeypatch.setattr(dashboard_services, "_entry", unstorable)
    response = auth_client.post("/api/candidates", SARAH)
    assert response.status_code == 500
    assert not Candidate.objects.exists()
    assert not Activity.objects.exists()


def test_limit_defaults_to_20_and_pages_with_offset(auth_client, db):
    now = timezone.now()
    Activity.objects.bulk_create(
        Activity(event="status_changed", detail=f"step {i}", timestamp=now - datetime.timedelta(minutes=i))
        for i in range(30)
    )
    assert [item["action"] for item in feed(auth_client)] == [f"moved to step {i}" for i in range(20)]
    assert [item["action"] for item in feed(auth_client, "?limit=5&offset=25")] == [
        f"moved to step {i}" for i in range(25, 30)
    ]
    assert feed(auth_client, "?offset=100") == []


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=abc", "offset=-1", "offset=x"])
def test_bad_limit_or_offset_is_400_naming_it(auth_client, db, query):
    response = auth_client.get(f"/api/activity?{query}")
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [query.split("=")[0]]


@pytest.mark.parametrize("rows", [5, 100])
def test_the_feed_takes_one_query_besides_the_key_lookup(auth_client, db, django_assert_max_num_queries, rows):
    for candidate in CandidateFactory.create_batch(rows // 5):
        for _ in range(5):
            Activity.objects.create(event="applied", detail="Dev", candidate=candidate, candidate_name="X Y")
    with django_assert_max_num_queries(2):
        items = feed(auth_client, "?limit=100")
    assert len(items) == rows


def test_the_feed_needs_a_key(api_client, db):
    assert api_client.get("/api/activity").status_code == 401


def test_interview_activity_survives_the_interviews_deletion_which_has_its_own_entry(auth_client):
    interview = InterviewFactory()
    auth_client.put(f"/api/interviews/{interview.id}", {"status": "Cancelled"})
    auth_client.delete(f"/api/interviews/{interview.id}")
    entries = Activity.objects.order_by("timestamp", "id")
    assert [(entry.event, entry.interview, entry.candidate_id) for entry in entries] == [
        ("cancelled", None, interview.candidate_id),
        ("interview_deleted", None, interview.candidate_id),
    ]
    name = interview.candidate.full_name
    assert [item["action"] for item in feed(auth_client)] == [
        f"Interview with {name} deleted",
        f"Interview with {name} cancelled",
    ]


def test_no_way_of_deleting_a_candidate_leaves_their_name_in_the_feed(auth_client):
    """Not only the service: a plain queryset delete (a shell, a cascade) erases the name too."""
    candidate_id = auth_client.post("/api/candidates", SARAH).json()["id"]
    auth_client.post(
        "/api/interviews", {"candidateId": candidate_id, "scheduledDate": "2031-03-04T10:00:00Z", "interviewer": "Jo"}
    )
    Candidate.objects.filter(pk=candidate_id).delete()
    assert list(Activity.objects.values_list("candidate", "candidate_name")) == [(None, None), (None, None)]


def test_a_deletion_of_many_forgets_them_all_in_one_update(auth_client):
    ids = [auth_client.post("/api/candidates", {**SARAH, "email": f"s{n}@email.com"}).json()["id"] for n in range(5)]
    kept = auth_client.post("/api/candidates", {**SARAH, "email": "kept@email.com", "firstName": "Kept"}).json()["id"]
    with CaptureQueriesContext(connection) as queries:
        Candidate.objects.filter(pk__in=ids).delete()
    assert sum(query["sql"].startswith('UPDATE "dashboard_activity"') for query in queries) == 1
    assert set(Activity.objects.exclude(candidate_id=kept).values_list("candidate", "candidate_name")) == {(None, None)}
    assert Activity.objects.get(candidate_id=kept).candidate_name == "Kept Johnson"


def test_a_deletion_that_failed_takes_no_name_with_it(auth_client):
    """Its candidate was noted as going; the next deletion leaves them their name, since they are still there."""
    from django.db import transaction
    from django.db.models.signals import pre_delete

    stays = auth_client.post("/api/candidates", {**SARAH, "email": "stays@email.com", "firstName": "Stays"}).json()[
        "id"
    ]
    goes = auth_client.post("/api/candidates", {**SARAH, "email": "goes@email.com"}).json()["id"]

    def refuse(sender, instance, **kwargs):
        raise RuntimeError("refused")

    pre_delete.connect(refuse, sender=Candidate)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            Candidate.objects.filter(pk=stays).delete()
    finally:
        pre_delete.disconnect(refuse, sender=Candidate)
    Candidate.objects.filter(pk=goes).delete()
    assert Activity.objects.get(candidate_id=stays).candidate_name == "Stays Johnson"
    assert Activity.objects.filter(candidate_name="Sarah Johnson").count() == 0
