"""
One attempt against receivers that answer too slowly (issue 32, item 3): real servers on loopback.
Whatever the receiver does, the attempt ends at WEBHOOK_TIMEOUT_SECONDS (its whole exchange, not
each read), reads at most an excerpt of the answer and never drains the rest.
"""

import time

import pytest

from tests.workers import Trickler
from webhooks.sending import EXCERPT, Sender

DEADLINE = 1.0


@pytest.fixture(autouse=True)
def deadline(settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = DEADLINE
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True


@pytest.mark.parametrize(
    ("mode", "status", "error", "excerpt"),
    [
        ("headers", None, f"timed out after {DEADLINE:g} s", ""),  # a byte of headers every 0.2 s, for ever
        ("silent", None, f"timed out after {DEADLINE:g} s", ""),  # never answers
        ("body", 200, "", "y"),  # answered 200, then a byte of a 100,000-byte body every 0.2 s
        ("flood", 200, "", "z" * EXCERPT),  # 10 MB as fast as it goes: 500 bytes read, the rest never drained
    ],
)
def test_an_attempt_ends_at_its_deadline_whatever_the_receiver_does(mode, status, error, excerpt):
    receiver = Trickler(mode, every=0.2)
    sender = Sender()
    try:
        started = time.monotonic()
        outcome = sender.send(receiver.url, "whsec_" + "A" * 32, "msg_1", '{"type": "test"}')
        took = time.monotonic() - started
        # The sender let go of the connection (not kept, never drained): the receiver sees it end at its
        # next byte, while it would otherwise trickle on.
        deadline = time.monotonic() + 2
        while receiver.requests and receiver.requests[0][2] is None and time.monotonic() < deadline:
            time.sleep(0.05)
        ended = [end for _, _, end in receiver.requests]
    finally:
        sender.close()
        receiver.stop()
    assert (outcome.status_code, outcome.error) == (status, error)
    assert outcome.excerpt.startswith(excerpt)
    assert len(outcome.excerpt) <= EXCERPT
    # The receiver would go on for 100,000 bytes at 0.2 s each; the attempt ends at the deadline (with slack for a busy machine).
    assert took < DEADLINE + 1.5
    assert len(ended) == 1
    assert ended[0] is not None
