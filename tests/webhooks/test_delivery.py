"""
Sending one delivery to a real receiver on loopback, in the test's process: the request as the
Standard Webhooks specification has it, and what each kind of failure leads to.
"""

import datetime
import json

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from candidates.services import candidate_create, candidate_update
from webhooks.models import Attempt, Delivery, DeliveryStatus, EventType, Subscription
from webhooks.tasks import deliver, sweep

NEW = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "position": "Engineer"}


@pytest.fixture
def subscription(db, receiver, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    return Subscription.objects.create(url=receiver.url, events=list(EventType.values))


def send(*deliveries):
    deliver.call([str(delivery.pk) for delivery in deliveries])
    for delivery in deliveries:
        delivery.refresh_from_db()


def one_delivery(**fields) -> Delivery:
    candidate = candidate_create(data={**NEW, **fields})
    return Delivery.objects.get(candidate_id=candidate.pk)


def test_a_delivery_is_a_signed_post_of_its_stored_body(subscription, receiver):
    delivery = one_delivery()
    before = timezone.now()
    send(delivery)
    [(headers, body)] = receiver.requests
    assert body.decode() == delivery.body
    assert json.loads(body)["type"] == "candidate.created"
    assert headers["Content-Type"] == "application/json"
    assert headers["webhook-id"] == f"msg_{delivery.pk.hex}"
    assert abs(int(headers["webhook-timestamp"]) - before.timestamp()) < 5
    assert Webhook(subscription.secret).verify(body, headers) == json.loads(body)
    assert headers["Host"] == f"127.0.0.1:{receiver.port}"
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
    attempt = Attempt.objects.get()
    assert (attempt.status_code, attempt.error) == (204, "")
    subscription.refresh_from_db()
    assert subscription.last_success_at == delivery.delivered_at


def test_a_non_2xx_answer_is_logged_and_retried_after_a_few_seconds(subscription, receiver):
    receiver.status, receiver.answer = 500, b"x" * 2000
    delivery = one_delivery()
    send(delivery)
    attempt = Attempt.objects.get()
    assert (attempt.status_code, attempt.response_excerpt) == (500, "x" * 500)
    assert (delivery.status, delivery.attempts, delivery.lease_until) == (DeliveryStatus.PENDING, 1, None)
    wait = (delivery.next_attempt_at - attempt.at).total_seconds()
    assert 4 <= wait <= 6  # the first retry: 5 s, give or take 20%
    subscription.refresh_from_db()
    assert (subscription.consecutive_failures, subscription.active) == (1, True)
    receiver.status = 200
    with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
        send(delivery)  # a success forgets the failures
    subscription.refresh_from_db()
    assert (delivery.status, subscription.consecutive_failures, subscription.failing_since) == ("delivered", 0, None)


def test_a_delivery_not_yet_due_is_left_alone(subscription, receiver):
    receiver.status = 500
    delivery = one_delivery()
    send(delivery)
    send(delivery)  # queued again too early (the sweeper, a duplicate job): not sent
    assert len(receiver.requests) == 1


def test_a_timeout_and_a_refused_connection_are_failures(subscription, receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1
    delivery = one_delivery()
    send(delivery)
    assert Attempt.objects.get().error == "timed out after 0.3 s"
    receiver.stop()
    with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
        send(delivery)
    assert Attempt.objects.latest("at").error == "connection refused"
    assert (delivery.attempts, delivery.status) == (2, DeliveryStatus.PENDING)


def test_redirects_are_not_followed(subscription, receiver):
    receiver.status = 302  # to http://127.0.0.1:9/elsewhere
    delivery = one_delivery()
    send(delivery)
    assert len(receiver.requests) == 1
    assert Attempt.objects.get().status_code == 302
    assert delivery.status == DeliveryStatus.PENDING  # a failure, to be retried


def test_410_gone_turns_the_subscription_off(subscription, receiver):
    receiver.status = 410
    first, second = one_delivery(), one_delivery(email="bob@example.com")
    send(first, second)
    subscription.refresh_from_db()
    assert not subscription.active
    assert subscription.disabled_reason.startswith("The receiver answered 410 Gone on ")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        send(first, second)
    assert len(receiver.requests) == 1  # nothing goes to a subscription that is off


def test_failing_for_a_day_turns_the_subscription_off(subscription, receiver):
    receiver.status = 503
    delivery = one_delivery()
    Subscription.objects.filter(pk=subscription.pk).update(
        consecutive_failures=9, failing_since=timezone.now() - datetime.timedelta(hours=25)
    )
    send(delivery)
    subscription.refresh_from_db()
    assert (subscription.active, subscription.consecutive_failures) == (False, 10)
    assert "every attempt failed for 24 hours" in subscription.disabled_reason


def test_many_failures_within_a_day_do_not(subscription, receiver):
    receiver.status = 503
    delivery = one_delivery()
    Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=50, failing_since=timezone.now())
    send(delivery)
    subscription.refresh_from_db()
    assert subscription.active


def test_after_the_last_retry_the_delivery_has_failed(subscription, receiver, settings):
    settings.WEBHOOK_RETRY_WAITS = [1, 1]
    receiver.status = 500
    delivery = one_delivery()
    for _ in range(3):
        with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
            send(delivery)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        send(delivery)
    assert len(receiver.requests) == 3


def test_the_address_is_checked_again_when_a_delivery_connects(subscription, receiver, settings):
    Subscription.objects.filter(pk=subscription.pk).update(url=f"https://127.0.0.1:{receiver.port}/hooks")
    delivery = one_delivery()
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False  # the subscription was saved while it was allowed
    settings.WEBHOOK_ALLOWED_PORTS = [receiver.port]  # the port passes: the address is what is refused
    send(delivery)
    assert receiver.requests == []
    assert Attempt.objects.get().error == ("refused: the host 127.0.0.1 resolves to an internal address (127.0.0.1)")
    assert delivery.status == DeliveryStatus.PENDING


def test_the_other_deliveries_to_a_failing_receiver_wait_for_its_next_try(subscription, receiver):
    receiver.status = 500
    deliveries = [one_delivery(email=f"p{n}@example.com") for n in range(3)]
    send(*deliveries)
    assert len(receiver.requests) == 1  # one try, not three
    tried, *waiting = sorted(deliveries, key=lambda d: -d.attempts)
    assert tried.attempts == 1
    assert [(d.attempts, d.next_attempt_at, d.lease_until) for d in waiting] == [(0, tried.next_attempt_at, None)] * 2


def test_the_sweeper_sends_due_retries_and_lost_first_attempts(subscription, receiver):
    receiver.status = 500
    retry = one_delivery()
    send(retry)
    lost = one_delivery(email="lost@example.com")  # its job never ran
    receiver.status = 200
    sweep()  # too soon for both: the retry is not due, the new one may still be in its job
    assert len(receiver.requests) == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30)):
        sweep()  # queued (and, in the tests, run at once)
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 2
    assert len(receiver.requests) == 3
    assert lost.pk in {d.pk for d in Delivery.objects.filter(status="delivered")}


def test_minimal_payloads_carry_ids_only(subscription, receiver):
    subscription.minimal_payload = True
    subscription.save()
    delivery = one_delivery()
    assert json.loads(delivery.body)["data"] == {"id": delivery.candidate_id}


def test_the_admin_redelivers(subscription, receiver, admin_client, django_capture_on_commit_callbacks):
    delivery = one_delivery()
    send(delivery)
    assert delivery.status == DeliveryStatus.DELIVERED
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_client.post(
            "/admin/webhooks/delivery/",
            {"action": "redeliver_selected", "_selected_action": [delivery.pk]},
            follow=True,
        )
    assert "Queued 1 deliveries again." in [str(m) for m in page.context["messages"]]
    assert len(receiver.requests) == 2
    assert receiver.requests[0][0]["webhook-id"] == receiver.requests[1][0]["webhook-id"]  # the same message
    change = admin_client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/").content.decode()
    assert change.count('<td class="field-status_code">') == 2  # both attempts are listed


def test_outbox_sends_nothing_to_subscriptions_that_do_not_want_the_event(db, settings):
    Subscription.objects.create(url="https://93.184.216.34/a", events=["candidate.hired"])
    Subscription.objects.create(url="https://93.184.216.34/b", events=list(EventType.values), active=False)
    candidate = candidate_create(data=NEW)
    assert not Delivery.objects.exists()
    candidate_update(instance=candidate, data={"status": "Hired"})
    assert list(Delivery.objects.values_list("event_type", flat=True)) == ["candidate.hired"]
