"""
Webhooks end to end: changes through the API and the commands, a real worker on Redis, a real
receiver on loopback. Each event is delivered and its signature verifies with `standardwebhooks`.
"""

import io
import time

import pytest
from django.core.management import call_command
from django.db import transaction
from standardwebhooks.webhooks import Webhook

from candidates.models import Candidate
from candidates.services import candidate_update
from tests.workers import wait_until
from webhooks.models import Attempt, Delivery, DeliveryStatus, EventType, Subscription

ALL_EVENTS = list(EventType.values)


@pytest.fixture
def subscribed(auth_client, receiver, queue):
    """A subscription to every event at the receiver, made through the API; its secret."""
    response = auth_client.post("/api/webhooks", {"url": receiver.url, "events": ALL_EVENTS})
    assert response.status_code == 201, response.json()
    return response.json()["secret"]


def new_candidate(auth_client, email="ada@example.com", **fields):
    body = {"firstName": "Ada", "lastName": "Lovelace", "email": email, "position": "Engineer", **fields}
    response = auth_client.post("/api/candidates", body)
    assert response.status_code == 201, response.json()
    return response.json()


def test_each_event_type_is_delivered_signed_and_verifiable(auth_client, subscribed, receiver, workers, tmp_path):
    workers()
    ada = new_candidate(auth_client)  # candidate.created
    assert auth_client.patch(f"/api/candidates/{ada['id']}", {"status": "Hired"}).status_code == 200
    # ↑ candidate.updated, candidate.status_changed, candidate.hired
    interview = auth_client.post("/api/interviews", {"candidateId": ada["id"], "type": "Technical",
                                                     "scheduledDate": "2030-01-07T10:00:00Z", "duration": 60,
                                                     "interviewer": "Grace"}).json()  # fmt: skip
    url = f"/api/interviews/{interview['id']}"
    assert auth_client.patch(url, {"scheduledDate": "2030-01-08T10:00:00Z"}).status_code == 200  # rescheduled
    assert auth_client.patch(url, {"status": "Completed", "rating": 4}).status_code == 200  # completed
    other = auth_client.post("/api/interviews", {"candidateId": ada["id"], "type": "Phone",
                                                 "scheduledDate": "2030-02-07T10:00:00Z", "duration": 30,
                                                 "interviewer": "Alan"}).json()  # fmt: skip
    assert auth_client.patch(f"/api/interviews/{other['id']}", {"status": "Cancelled"}).status_code == 200
    bob = new_candidate(auth_client, email="bob@example.com", firstName="Bob")
    call_command("anonymize_candidate", str(bob["id"]), stdout=io.StringIO())  # candidate.anonymized
    assert auth_client.delete(f"/api/candidates/{ada['id']}").status_code == 204  # candidate.deleted
    path = tmp_path / "people.csv"
    path.write_text("firstName,lastName,email,position\nCy,Young,cy@example.com,Dev\n")
    with path.open("rb") as file:
        queued = auth_client.post("/api/imports", {"file": file}, format="multipart")
    assert queued.status_code == 202  # candidate.created for Cy, then import.finished

    expected = {
        "candidate.created": 3, "candidate.updated": 1, "candidate.status_changed": 1, "candidate.hired": 1,
        "interview.scheduled": 2, "interview.rescheduled": 1, "interview.completed": 1, "interview.cancelled": 1,
        "candidate.anonymized": 1, "candidate.deleted": 1, "import.finished": 1,
    }  # fmt: skip
    receiver.wait_for(sum(expected.values()))
    time.sleep(0.5)  # nothing more comes
    bodies = receiver.bodies()
    assert {kind: [b["type"] for b in bodies].count(kind) for kind in expected} == expected
    assert len(bodies) == sum(expected.values())
    webhook = Webhook(subscribed)
    for headers, body in receiver.requests:
        assert webhook.verify(body, headers) == __import__("json").loads(body)  # signed, as the receiver checks
    ids = [headers["webhook-id"] for headers, _ in receiver.requests]
    assert len(set(ids)) == len(ids)
    # The data is the object as the API writes it; a deletion names the id only. Ada's and Bob's names
    # and addresses were erased from their deliveries with them (sent or not); Cy's are there.
    cy = Candidate.objects.get(email="cy@example.com")
    created = next(b for b in bodies if b["type"] == "candidate.created" and b["data"]["id"] == cy.pk)
    assert created["data"] == auth_client.get(f"/api/candidates/{cy.pk}").json()
    assert "ada@example.com" not in str(list(Delivery.objects.values_list("body", flat=True)))
    hired = next(b for b in bodies if b["type"] == "candidate.hired")
    assert (hired["data"]["id"], hired["data"]["status"]) == (ada["id"], "Hired")
    assert next(b for b in bodies if b["type"] == "candidate.deleted")["data"] == {"id": ada["id"]}
    finished = next(b for b in bodies if b["type"] == "import.finished")["data"]
    assert (finished["status"], finished["created"], finished["fileName"]) == ("succeeded", 1, "people.csv")
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == len(bodies)


def test_a_receiver_that_is_down_for_a_while_gets_every_event_once_it_is_back(
    auth_client, subscribed, receiver, workers
):
    receiver.stop()  # connections are refused
    workers()
    made = [new_candidate(auth_client, email=f"c{n}@example.com")["id"] for n in range(5)]
    wait_until(
        lambda: Attempt.objects.filter(error="connection refused").count() >= 3,
        message=str(list(Attempt.objects.values_list("error", flat=True))),
    )
    assert Subscription.objects.get().consecutive_failures >= 3
    receiver.start()
    receiver.wait_for(5)
    wait_until(lambda: not Delivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists(), message="all delivered")
    received = {}
    for headers, body in receiver.requests:  # a receiver deduplicates by webhook-id
        received[headers["webhook-id"]] = __import__("json").loads(body)
    assert sorted(body["data"]["id"] for body in received.values()) == sorted(made)
    subscription = Subscription.objects.get()
    assert (subscription.active, subscription.consecutive_failures) == (True, 0)


def test_a_rolled_back_change_sends_nothing(auth_client, subscribed, receiver, workers):
    workers()
    ada = Candidate.objects.get(pk=new_candidate(auth_client)["id"])
    receiver.wait_for(1)
    inside = []

    def change_that_fails():
        with transaction.atomic():
            candidate_update(instance=ada, data={"status": "Screened"})
            inside.append(Delivery.objects.count())
            raise RuntimeError("the change fails after the write")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert inside == [3]  # in the change's transaction: created, then updated and status_changed
    assert Delivery.objects.count() == 1
    candidate_update(instance=ada, data={"position": "Architect"})  # a committed one is sent
    bodies = receiver.wait_for(2)
    time.sleep(1.5)  # the sweeper has had its chances to send anything else
    assert [body["type"] for body in receiver.bodies()] == ["candidate.created", "candidate.updated"]
    assert bodies[1]["data"]["position"] == "Architect"


def test_a_worker_killed_mid_delivery_loses_nothing(auth_client, subscribed, receiver, workers):
    receiver.delay = 2  # the receiver holds the request while the worker is killed
    worker = workers()
    ada = new_candidate(auth_client)
    receiver.wait_for(1)
    worker.kill()
    assert Delivery.objects.get().status == DeliveryStatus.PENDING  # no answer was ever recorded
    receiver.delay = 0
    workers()  # another worker takes it up once the dead one's lease ends
    bodies = receiver.wait_for(2)
    wait_until(lambda: Delivery.objects.get().status == DeliveryStatus.DELIVERED, message="delivered")
    assert {body["data"]["id"] for body in bodies} == {ada["id"]}
    assert len({headers["webhook-id"] for headers, _ in receiver.requests}) == 1  # the same message, again
