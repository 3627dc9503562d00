"""
After erasure no table holds the person: their name, email and phone are gone from every
table (the admin's log and "Recent actions" included) after an admin edit and then each way of
erasing them: anonymise, delete in the admin (one or selected), delete through the API,
merge away, purge.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from candidates.models import Candidate
from imports.services import import_here
from tests.dump import every_table
from webhooks.models import Attempt, Delivery, EventType, Subscription

PERSON = {"firstName": "Zebulon", "lastName": "Quarternight", "email": "zebulon.q@example.org",
          "phone": "+1 555 0199", "position": "Data Engineer", "notes": "Met Zebulon at PyCon"}  # fmt: skip
TRACES = ["Zebulon", "Quarternight", "zebulon.q@example.org", "555 0199"]


def remaining(text: str) -> list[str]:
    return [trace for trace in TRACES if trace.lower() in text.lower()]


@pytest.fixture
def person(auth_client, admin_client):
    """
    Zebulon, created through the API, edited in the admin with an interview added inline, in the feed,
    and in the webhook deliveries of each change (one answered by a receiver that echoed his name).
    """
    Subscription.objects.create(url="https://93.184.216.34/hooks", events=list(EventType.values))
    created = auth_client.post("/api/candidates", PERSON)
    assert created.status_code == 201
    pk = created.json()["id"]
    form = {
        "first_name": "Zebulon", "last_name": "Quarternight", "email": "zebulon.q@example.org", "phone": "+1 555 0199",
        "position": "Data Engineer", "phase": "1", "status": "Screened", "source": "LinkedIn", "notes": "",
        "interviews-TOTAL_FORMS": "1", "interviews-INITIAL_FORMS": "0", "interviews-0-type": "Technical",
        "interviews-0-scheduled_date_0": "2031-03-04", "interviews-0-scheduled_date_1": "15:00:00",
        "interviews-0-duration": "60", "interviews-0-interviewer": "Jane Doe", "interviews-0-status": "Scheduled",
        "interviews-0-notes": "Ask Zebulon about Spark",
    }  # fmt: skip
    response = admin_client.post(f"/admin/candidates/candidate/{pk}/change/", form)
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    recent = admin_client.get("/admin/").content.decode()
    assert "Zebulon" in recent  # "Recent actions" names him while he exists
    delivery = Delivery.objects.filter(candidate_id=pk, event_type="candidate.created").get()
    assert "zebulon.q@example.org" in delivery.body
    Attempt.objects.create(delivery=delivery, status_code=200, response_excerpt='{"received": "Zebulon Quarternight"}')
    assert Delivery.objects.filter(event_type="interview.scheduled", body__contains="Ask Zebulon").exists()
    assert remaining(every_table())
    return pk


def erase_by(way: str, pk: int, auth_client, admin_client) -> None:
    if way == "anonymize_candidate":
        call_command("anonymize_candidate", str(pk), stdout=io.StringIO())
    elif way == "admin anonymize action":
        admin_client.post("/admin/candidates/candidate/", {"action": "anonymize", "_selected_action": [pk]})
    elif way == "admin delete":
        assert admin_client.post(f"/admin/candidates/candidate/{pk}/delete/", {"post": "yes"}).status_code == 302
    elif way == "admin delete selected":
        admin_client.post("/admin/candidates/candidate/", {"action": "delete_selected", "_selected_action": [pk],
                                                           "post": "yes"})  # fmt: skip
    elif way == "API delete":
        assert auth_client.delete(f"/api/candidates/{pk}").status_code == 204
    elif way == "merge_candidates":
        keep = auth_client.post("/api/candidates", {**PERSON, "firstName": "Z.", "lastName": "Q.",
                                                    "email": "keep@example.org", "phone": None, "notes": None})  # fmt: skip
        call_command("merge_candidates", str(keep.json()["id"]), str(pk), stdout=io.StringIO())
        # The kept record is the same person under other details; fill-ins from the duplicate stay on it.
        Candidate.objects.filter(pk=keep.json()["id"]).update(phone=None, notes=None)
    elif way == "purge_candidates":
        Candidate.objects.filter(pk=pk).update(last_updated=timezone.now() - datetime.timedelta(days=400))
        call_command("purge_candidates", "--older-than", "365", stdout=io.StringIO())
    else:
        raise AssertionError(way)


WAYS = ["anonymize_candidate", "admin anonymize action", "admin delete", "admin delete selected", "API delete",
        "merge_candidates", "purge_candidates"]  # fmt: skip


def recent_actions(admin_client) -> str:
    page = admin_client.get("/admin/").content.decode()
    return page[page.index('id="recent-actions-module"') :]


@pytest.mark.parametrize("way", WAYS)
def test_after_erasure_no_table_holds_the_person(person, auth_client, admin_client, way):
    erase_by(way, person, auth_client, admin_client)
    if way == "merge_candidates":
        # The person lives on in the kept record (their interviews moved there); the duplicate's own
        # details are gone, and the admin's log names the merged-away record by id only.
        assert "zebulon.q@example.org" not in every_table()
        assert "zebulon.q@example.org" not in recent_actions(admin_client)
        assert f"Candidate {person}" in recent_actions(admin_client)
        return
    assert remaining(every_table()) == []
    assert remaining(recent_actions(admin_client)) == []
    assert f"Candidate {person}" in recent_actions(admin_client)


@pytest.mark.parametrize("erase", ["API delete", "anonymize_candidate"])
def test_an_interview_moved_to_another_candidate_is_erased_with_that_candidate(auth_client, admin_client, erase):
    """What was kept about an interview follows it to its current candidate: their erasure erases it."""
    Subscription.objects.create(url="https://93.184.216.34/hooks", events=list(EventType.values))
    first = auth_client.post("/api/candidates", {**PERSON, "email": "first@example.org", "notes": None}).json()["id"]
    second = auth_client.post("/api/candidates", PERSON).json()["id"]
    body = {"candidateId": first, "scheduledDate": "2031-03-04T15:00:00Z", "interviewer": "Jane Doe",
            "notes": "Zebulon asked about Spark"}  # fmt: skip
    pk = auth_client.post("/api/interviews", body).json()["id"]
    auth_client.patch(f"/api/interviews/{pk}", {"duration": 90})  # a delivery and a record while it is the first's
    assert auth_client.patch(f"/api/interviews/{pk}", {"candidateId": second}).status_code == 200
    assert Delivery.objects.filter(event_type__startswith="interview.", candidate_id=second).count() == 2
    erase_by(erase, second, auth_client, admin_client)
    assert "asked about Spark" not in every_table()
    history = auth_client.get(f"/api/interviews/{pk}/history").json()
    assert history[-1]["changes"]["notes"] == {"from": None, "to": None}  # erased, the fact kept
    assert [record["changes"].get("candidateId") for record in history][-3:] == [
        {"from": first, "to": second}, None, {"from": None, "to": first}
    ]  # fmt: skip


@pytest.mark.parametrize("erase", ["API delete", "anonymize_candidate"])
def test_an_import_that_failed_on_the_persons_rows_keeps_none_of_them(auth_client, admin_client, erase):
    """A job's errors, its sync run, the feed and `import.finished` name lines and fields, never a cell."""
    Subscription.objects.create(url="https://93.184.216.34/hooks", events=list(EventType.values))
    rows = (
        "firstName,lastName,email,phone,position,status,phase\n"
        "Zebulon,Quarternight,zebulon.q@example.org,+1 555 0199,Data Engineer,New,1\n"  # created
        "Zebulon,Quarternight,zebulon.q@example.org,+1 555 0199,Data Engineer,Zebulon Quarternight,1\n"
        "Zebulon,Quarternight,zebulon.q@example.org,+1 555 0199,Data Engineer,New,555 0199\n"
        "Zebulon,Quarternight,Zebulon Quarternight,+1 555 0199,Data Engineer,New,1\n"  # the email, a name
    )
    done = import_here(io.BytesIO(rows.encode()), "people.csv", on_error=lambda error: None)
    assert (done.created_count, done.failed_count) == (1, 3)
    broken = b'[{"firstName": "Zebulon", "lastName": "Quarternight", "email": "zebulon.q@example.org", "position": "DE"}, {"firstName": "Zebulon Quarternight" x'
    job = import_here(io.BytesIO(broken), "people.json")
    assert (job.status, job.processed, job.error) == (
        "failed", 0, "malformed JSON after row 1: the next value cannot be read",
    )  # fmt: skip
    assert remaining(every_table())  # he is there, and the rows that failed on him
    erase_by(erase, Candidate.objects.get(email="zebulon.q@example.org").pk, auth_client, admin_client)
    assert remaining(every_table()) == []
