"""
Every write path writes its webhook deliveries in its own transaction: the API, the admin (forms,
inlines, actions), the commands (import, merge, anonymise, purge). No subscriber: nothing written.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.models import Candidate
from tests.factories import CandidateFactory, InterviewFactory
from tests.history.test_write_paths import CANDIDATE_FORM, INLINE_ROW
from webhooks.models import Delivery, EventType, Subscription


@pytest.fixture
def subscribed(db):
    return Subscription.objects.create(url="https://93.184.216.34/hooks", events=list(EventType.values))


def events(**filters) -> list[str]:
    return list(
        Delivery.objects.filter(**filters).order_by("created_at", "event_type").values_list("event_type", flat=True)
    )


def data_of(event_type: str) -> dict:
    return json.loads(Delivery.objects.filter(event_type=event_type).latest("created_at").body)["data"]


def test_the_api_writes_each_candidate_event(auth_client, subscribed):
    pk = auth_client.post("/api/candidates", {"firstName": "Ada", "lastName": "L", "email": "ada@example.com",
                                              "position": "Dev"}).json()["id"]  # fmt: skip
    assert data_of("candidate.created") == auth_client.get(f"/api/candidates/{pk}").json()
    auth_client.patch(f"/api/candidates/{pk}", {"notes": "Strong"})
    auth_client.patch(f"/api/candidates/{pk}", {"status": "Hired"})
    auth_client.patch(f"/api/candidates/{pk}", {"status": "Hired"})  # no change: no event
    auth_client.delete(f"/api/candidates/{pk}")
    assert events() == [
        "candidate.created", "candidate.updated", "candidate.hired", "candidate.status_changed", "candidate.updated",
        "candidate.deleted",
    ]  # fmt: skip
    assert data_of("candidate.deleted") == {"id": pk}


def test_the_api_writes_each_interview_event(auth_client, subscribed):
    candidate = CandidateFactory()
    body = {"candidateId": candidate.pk, "type": "Technical", "scheduledDate": "2031-01-07T10:00:00Z", "duration": 60,
            "interviewer": "Grace"}  # fmt: skip
    pk = auth_client.post("/api/interviews", body).json()["id"]
    url = f"/api/interviews/{pk}"
    auth_client.patch(url, {"notes": "Bring a laptop"})  # no event type for notes
    auth_client.patch(url, {"duration": 90})
    auth_client.patch(url, {"status": "Completed", "rating": 5})
    other = auth_client.post("/api/interviews", {**body, "scheduledDate": "2031-02-07T10:00:00Z"}).json()["id"]
    auth_client.patch(f"/api/interviews/{other}", {"status": "Cancelled"})
    assert events() == ["interview.scheduled", "interview.rescheduled", "interview.completed", "interview.scheduled",
                        "interview.cancelled"]  # fmt: skip
    completed = data_of("interview.completed")
    assert (completed["id"], completed["status"], completed["rating"]) == (pk, "Completed", 5)
    assert set(Delivery.objects.values_list("candidate_id", flat=True)) == {candidate.pk}


def test_the_admin_writes_them_for_forms_inlines_and_actions(admin_client, subscribed):
    admin_client.post("/admin/candidates/candidate/add/", CANDIDATE_FORM)
    pk = Candidate.objects.get().pk
    form = {**CANDIDATE_FORM, "status": "Screened", "interviews-TOTAL_FORMS": "1", **INLINE_ROW}
    assert admin_client.post(f"/admin/candidates/candidate/{pk}/change/", form).status_code == 302
    admin_client.post("/admin/candidates/candidate/", {"action": "mark_as_hired", "_selected_action": [pk]})
    assert events() == [
        "candidate.created", "candidate.status_changed", "candidate.updated", "interview.scheduled",
        "candidate.hired", "candidate.status_changed", "candidate.updated",
    ]  # fmt: skip


def test_the_commands_write_them(subscribed, tmp_path):
    keep, duplicate = CandidateFactory(phone=None), CandidateFactory(phone="555-0100")
    call_command("merge_candidates", str(keep.pk), str(duplicate.pk), stdout=io.StringIO())
    assert events() == ["candidate.deleted", "candidate.updated"]
    Delivery.objects.all().delete()
    call_command("anonymize_candidate", str(keep.pk), stdout=io.StringIO())
    assert events() == ["candidate.anonymized"]
    assert data_of("candidate.anonymized")["firstName"] == "Anonymized"
    Delivery.objects.all().delete()
    known = CandidateFactory(status="New")
    path = tmp_path / "people.csv"
    path.write_text(
        f"firstName,lastName,email,position,status\nCy,Y,cy@example.com,Dev,New\nK,P,{known.email},Dev,Screened\n"
    )
    call_command("import_candidates", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert sorted(events()) == ["candidate.created", "candidate.status_changed", "candidate.updated", "import.finished"]
    assert data_of("candidate.status_changed")["id"] == known.pk
    finished = data_of("import.finished")  # the command's import is a job too
    assert (finished["fileName"], finished["status"], finished["created"], finished["updated"]) == (
        "people.csv",
        "succeeded",
        1,
        1,
    )


def test_purge_writes_a_deletion_per_candidate(subscribed):
    old = [CandidateFactory(), CandidateFactory()]
    Candidate.objects.update(last_updated="2001-01-01T00:00:00Z")
    call_command("purge_candidates", "--older-than", "365", stdout=io.StringIO())
    assert sorted(json.loads(body)["data"]["id"] for body in Delivery.objects.values_list("body", flat=True)) == sorted(
        candidate.pk for candidate in old
    )


def test_a_deleted_interview_sends_its_ids(subscribed, auth_client):
    interview = InterviewFactory()
    auth_client.delete(f"/api/interviews/{interview.pk}")
    assert events() == ["interview.deleted"]
    assert data_of("interview.deleted") == {"id": interview.pk, "candidateId": interview.candidate_id}


def test_a_candidates_deletion_says_it_for_their_interviews(subscribed, auth_client):
    interview = InterviewFactory()
    auth_client.delete(f"/api/candidates/{interview.candidate_id}")
    assert events() == ["candidate.deleted"]


def subscription_reads(client, url, body) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.patch(url, body).status_code == 200
    return sum("webhooks_subscription" in query["sql"] for query in captured)


def test_without_subscribers_a_write_stores_nothing_and_asks_at_most_once(auth_client):
    candidate = CandidateFactory()
    url = f"/api/candidates/{candidate.pk}"
    assert subscription_reads(auth_client, url, {"status": "Screened"}) <= 1
    # On PostgreSQL the process knows them until told of a change; elsewhere each write asks.
    assert subscription_reads(auth_client, url, {"notes": "a"}) == (0 if connection.vendor == "postgresql" else 1)
    assert not Delivery.objects.exists()
    Subscription.objects.create(url="https://93.184.216.34/hooks", events=["candidate.updated"])  # this process
    assert subscription_reads(auth_client, url, {"notes": "b"}) == 1
    assert events() == ["candidate.updated"]


@pytest.mark.django_db(transaction=True)
def test_a_subscription_made_by_another_process_is_heard_of_at_once(auth_client):
    """PostgreSQL: another connection commits a subscription; the next write here delivers to it."""
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite reads the subscriptions on every write")
    import psycopg

    candidate = CandidateFactory()
    url = f"/api/candidates/{candidate.pk}"
    auth_client.patch(url, {"notes": "known now"})  # the process has read the (no) subscriptions
    assert subscription_reads(auth_client, url, {"notes": "still none"}) == 0
    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"], user=settings_dict["USER"] or "postgres",
        host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432, autocommit=False,
    ) as other:  # fmt: skip
        other.execute(
            "INSERT INTO webhooks_subscription (url, events, active, minimal_payload, description, secret, created_at, "
            "consecutive_failures, disabled_reason) VALUES ('https://93.184.216.34/x', '[\"candidate.updated\"]', "
            "true, false, '', 'whsec_AAAA', now(), 0, '')"
        )
        other.execute("NOTIFY recruitos_webhook_subscriptions")
        other.commit()
    auth_client.patch(url, {"notes": "heard of"})
    assert events() == ["candidate.updated"]
