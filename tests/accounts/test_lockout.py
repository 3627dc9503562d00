"""Repeated failed sign-ins lock that username from that address for a while (django-axes)."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, person

LOCKED = "Too many failed sign-ins for this username from your address (5 in a row)."


def attempt(path: str, username: str, password: str, address: str = "10.0.0.1", **headers):
    client = Client(REMOTE_ADDR=address)
    return client, client.post(path, {"username": username, "password": password}, headers=headers)


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_five_wrong_passwords_lock_that_username_from_that_address(db, path, caplog):
    person("alice", is_staff=True)
    with caplog.at_level(logging.INFO):
        for n in range(5):
            _, response = attempt(path, "alice", f"wrong password {n}")
            assert response.status_code in (200, 429)
    # The sixth try is refused even with the right password.
    client, response = attempt(path, "alice", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html
    assert "locked for 15 minutes" in html
    assert "RecruitOS back office" in html
    assert client.get("/api/me").status_code == 401
    # Another address, or another username from this address, is not locked.
    assert attempt(path, "alice", PASSWORD, address="10.0.0.2")[1].status_code == 302
    person("bob", is_staff=True)
    assert attempt(path, "bob", PASSWORD)[1].status_code == 302
    # Logged: who and from where, never a password.
    assert 'username: "alice"' in caplog.text
    assert "10.0.0.1" in caplog.text
    assert "wrong password" not in caplog.text
    assert PASSWORD not in caplog.text


def test_the_lock_lifts_after_the_cool_off(db):
    person("alice")
    for n in range(6):
        attempt("/accounts/login/", "alice", f"wrong {n}")
    assert attempt("/accounts/login/", "alice", PASSWORD)[1].status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt("/accounts/login/", "alice", PASSWORD)[1].status_code == 302


def test_a_forwarded_for_header_does_not_unlock_without_a_proxy(db):
    person("alice")
    for n in range(5):
        attempt("/accounts/login/", "alice", f"wrong {n}", x_forwarded_for=f"192.0.2.{n}")
    response = attempt("/accounts/login/", "alice", PASSWORD, x_forwarded_for="192.0.2.99")[1]
    assert response.status_code == 429


def test_a_success_before_the_limit_starts_the_count_again(db):
    person("alice")
    for n in range(4):
        attempt("/accounts/login/", "alice", f"wrong {n}")
    assert attempt("/accounts/login/", "alice", PASSWORD)[1].status_code == 302
    for n in range(4):
        attempt("/accounts/login/", "alice", f"wrong again {n}")
    assert attempt("/accounts/login/", "alice", PASSWORD)[1].status_code == 302
