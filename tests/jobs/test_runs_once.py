"""
Background work runs once, with real `manage.py worker` processes and real servers (issue 32,
items 2 and 3): a lease shorter than the work is kept by heartbeats, so a slow batch or a slow
receiver is never handed to a second runner; a receiver that trickles is cut off at the deadline,
gets each delivery once at a time, and delays neither other subscriptions nor imports.
"""

import itertools
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from candidates.models import Candidate
from history.models import HistoryRecord
from imports.models import ImportJob
from tests.workers import Trickler, wait_until
from webhooks.models import Attempt, Delivery, DeliveryStatus

#: Shorter than one attempt (WEBHOOK_TIMEOUT_SECONDS) and than one batch: only heartbeats keep the work held.
FAST = {"JOB_LEASE_SECONDS": "1", "JOB_SWEEP_SECONDS": "0.2", "WEBHOOK_TIMEOUT_SECONDS": "2"}


def test_two_runners_racing_for_one_slow_job_write_it_once(auth_client, workers, tmp_path):
    rows = 12_000
    path = tmp_path / "people.csv"
    with path.open("w") as file:
        file.write("firstName,lastName,email,position,notes\n")
        for n in range(rows):
            file.write(f"Person,Number {n},person{n}@example.com,Engineer,{'x' * 200}\n")
    workers(**FAST)
    workers(**FAST)  # sweeps every 0.2 s: it takes any job whose lease ends
    with path.open("rb") as file:
        response = auth_client.post("/api/imports", {"file": file}, format="multipart")
    assert response.status_code == 202
    url = f"/api/imports/{response.json()['id']}"
    wait_until(lambda: auth_client.get(url).json()["status"] in ("succeeded", "failed"), timeout=300)
    job = auth_client.get(url).json()
    assert (job["status"], job["processed"], job["created"], job["failed"]) == ("succeeded", rows, rows, 0)
    assert Candidate.objects.count() == rows
    assert HistoryRecord.objects.filter(action="created").count() == rows  # each row written by one runner
    if connection.vendor == "postgresql":
        # Batches of about a second, a lease of one: the heartbeat held it throughout. (SQLite has one
        # writer: a heartbeat waits for the batch's commit and the other runner may take the job then;
        # the first one's next batch is fenced off, as the counts above show.)
        assert ImportJob.objects.get().attempts == 1


@pytest.mark.parametrize("mode", ["body", "headers", "silent"])
def test_a_trickling_receiver_is_cut_off_gets_each_delivery_once_at_a_time_and_delays_no_one_else(
    auth_client, queue, receiver, workers, mode
):
    slow = Trickler(mode, every=0.5)
    try:
        for url in (slow.url, receiver.url):
            response = auth_client.post("/api/webhooks", {"url": url, "events": ["candidate.created"]})
            assert response.status_code == 201, response.json()
        workers(**FAST, WEBHOOK_RETRY_WAITS="60")  # one retry a minute later: at most one attempt each here
        for n in range(4):
            body = {"firstName": "A", "lastName": str(n), "email": f"a{n}@example.com", "position": "Dev"}
            assert auth_client.post("/api/candidates", body).status_code == 201
        imported = auth_client.post("/api/imports", [{"firstName": "I", "lastName": "M", "email": "im@example.com",
                                                      "position": "Dev"}], format="json").json()  # fmt: skip

        # The prompt receiver and the import are done while the slow receiver still holds its first deliveries
        # (five: the import's candidate is one more candidate.created).
        receiver.wait_for(5, timeout=30)
        wait_until(lambda: auth_client.get(f"/api/imports/{imported['id']}").json()["status"] == "succeeded", 30)
        assert len(slow.requests) < 5
        # Each of the slow receiver's deliveries is tried once at most: a 200 that trickles is delivered;
        # a cut-off answer is a failure, and the subscription's other waiting deliveries wait a minute for
        # its next try. Each request ended by the deadline; none two at a time; none sent twice.
        slow_ones = Delivery.objects.filter(subscription__url=slow.url)

        def settled() -> bool:
            soon = timezone.now() + timedelta(seconds=30)
            return all(attempts == 1 or next_at > soon for attempts, next_at in
                       slow_ones.values_list("attempts", "next_attempt_at"))  # fmt: skip

        wait_until(settled, timeout=60, message="every slow delivery tried, or waiting for the next try")
        time.sleep(2.5)  # a second sending, if one were under way, would show now
        tried = Attempt.objects.filter(delivery__in=slow_ones)
        assert len(slow.requests) == tried.count() == len({message for message, _, _ in slow.requests})
        if mode == "body":
            assert set(slow_ones.values_list("status", "attempts")) == {(DeliveryStatus.DELIVERED, 1)}
            assert tried.count() == 5
        else:
            assert set(tried.values_list("error", flat=True)) == {"timed out after 2 s"}
            assert set(slow_ones.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
        for _, started, ended in slow.requests:
            assert ended is not None
            assert ended - started < 2 + 1.5
        spans = sorted((started, ended) for _, started, ended in slow.requests)
        # One subscription's deliveries go one after the other (the receiver sees a cut-off a trickle or
        # two, up to 1 s, after it happened; two attempts at once would overlap by their 2 s).
        assert all(later[0] >= earlier[1] - 1.2 for earlier, later in itertools.pairwise(spans)), spans
    finally:
        slow.stop()
