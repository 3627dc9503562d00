"""API keys: stored hashed, shown once, named, expiring, revocable, last use recorded about once a minute."""

import io
import logging
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiKey
from tests.dump import every_table
from tests.factories import UserFactory, api_key_for

UNAUTHORIZED = {"detail": "Invalid or missing authentication token"}


def client_with(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {key}")


def make_key(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_key", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_api_key_prints_the_key_alone_on_its_last_line_and_it_works(db):
    UserFactory(username="alice")
    out, err = make_key("alice", "--name", "Zapier")
    key = out.splitlines()[-1]
    assert out == f"{key}\n"
    prefix = key.split(".")[0]
    assert f"Made API key {prefix} (Zapier) for alice" in err
    response = client_with(key).get("/api/me")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    stored = ApiKey.objects.get()
    assert (stored.name, stored.prefix, stored.user.username, stored.expiry_date) == ("Zapier", prefix, "alice", None)


def test_a_dump_of_the_database_holds_no_key(db):
    alice = UserFactory(username="alice")
    keys = [api_key_for(alice, name) for name in ("Zapier", "nightly export")]
    for key in keys:
        assert client_with(key).get("/api/candidates").status_code == 200
    dump = every_table()
    for key in keys:
        assert key not in dump
        assert key.split(".")[1] not in dump  # the secret part, on its own
        assert key.split(".")[0] in dump  # the prefix identifies it


def test_a_user_holds_several_keys_each_revoked_on_its_own(db):
    alice = UserFactory(username="alice")
    zapier, nightly = api_key_for(alice, "Zapier"), api_key_for(alice, "nightly export")
    out = io.StringIO()
    call_command("revoke_api_key", zapier.split(".")[0], stdout=out)
    assert out.getvalue() == f"Revoked API key {zapier.split('.')[0]} (Zapier) of alice.\n"
    assert client_with(zapier).get("/api/candidates").status_code == 401
    assert client_with(nightly).get("/api/candidates").status_code == 200
    again = io.StringIO()
    call_command("revoke_api_key", zapier.split(".")[0], stdout=again)
    assert "was already revoked" in again.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "no user 'nobody'"),
        (["alice", "--expires-in", "0"], "0 is not between 1 and 36500"),
        (["alice", "--expires-in", "soon"], "'soon' is not a whole number"),
        (["alice", "--name", "x" * 51], "At most 50 characters."),
        (["alice", "--name", "  "], "A key needs a name"),
    ],
)
def test_create_api_key_refuses_bad_arguments_and_makes_nothing(db, args, message, capsys):
    UserFactory(username="alice")
    with pytest.raises((CommandError, SystemExit)) as raised:
        make_key(*args)
    shown = str(raised.value) if isinstance(raised.value, CommandError) else capsys.readouterr().err
    assert message in shown
    assert not ApiKey.objects.exists()


def test_revoke_api_key_names_an_unknown_prefix(db):
    with pytest.raises(CommandError, match="no API key with prefix 'abcdefgh'"):
        call_command("revoke_api_key", "abcdefgh")


def test_an_expired_key_is_refused(db):
    UserFactory(username="alice")
    key = make_key("alice", "--expires-in", "1")[0].strip()
    assert client_with(key).get("/api/candidates").status_code == 200
    expires = ApiKey.objects.get().expiry_date
    assert timedelta(hours=23) < expires - timezone.now() <= timedelta(days=1)
    ApiKey.objects.update(expiry_date=timezone.now() - timedelta(seconds=1))
    response = client_with(key).get("/api/candidates")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


@pytest.mark.parametrize("tamper", ["secret", "prefix", "dotless", "suffix"])
def test_a_key_that_differs_in_any_part_is_refused(db, tamper):
    key = api_key_for(UserFactory(username="alice"))
    prefix, secret = key.split(".")
    other = {
        "secret": f"{prefix}.{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}",
        "prefix": f"{prefix[:-1]}{'A' if prefix[-1] != 'A' else 'B'}.{secret}",
        "dotless": f"{prefix}{secret}",
        "suffix": f"{key}x",
    }[tamper]
    assert client_with(other).get("/api/candidates").status_code == 401


def test_last_use_is_written_at_most_about_once_a_minute(db):
    key = api_key_for(UserFactory(username="alice"))
    assert ApiKey.objects.get().last_used is None
    client = client_with(key)
    before = timezone.now()
    assert client.get("/api/candidates").status_code == 200
    first = ApiKey.objects.get().last_used
    assert before <= first <= timezone.now()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get("/api/dashboard/stats").status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert ApiKey.objects.get().last_used == first
    ApiKey.objects.update(last_used=first - timedelta(seconds=61))
    assert client.get("/api/dashboard/stats").status_code == 200
    assert ApiKey.objects.get().last_used > first


def test_the_key_check_is_one_query_with_its_user(db):
    key = api_key_for(UserFactory(username="alice"))
    client = client_with(key)
    client.get("/api/dashboard/stats")  # writes the first use
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/dashboard/stats").status_code == 200
    lookups = [q["sql"] for q in queries.captured_queries if "accounts_apikey" in q["sql"]]
    assert len(lookups) == 1
    assert "auth_user" in lookups[0]
    assert not [q for q in queries.captured_queries if "auth_user" in q["sql"] and q["sql"] not in lookups]


def test_keys_never_reach_the_log(db, caplog):
    key = api_key_for(UserFactory(username="alice"))
    with caplog.at_level(logging.DEBUG):
        client_with(key).get("/api/candidates?search=x")
        client_with(key + "x").get("/api/candidates")
        client_with(key).post("/api/candidates", {"firstName": ""}, format="json")
    assert key not in caplog.text
    assert key.split(".")[1] not in caplog.text


def test_staff_make_see_once_and_revoke_a_key_in_the_admin(admin_client, staff):
    alice = UserFactory(username="alice", is_superuser=False, is_staff=False)
    response = admin_client.post(
        "/admin/accounts/apikey/add/", {"name": "Zapier", "user": alice.pk, "expiry_date": ""}, follow=True
    )
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    key = next(text.split(" is: ")[1].split(" ")[0] for text in shown if " is: " in text)
    stored = ApiKey.objects.get()
    assert (stored.name, stored.user, stored.prefix) == ("Zapier", alice, key.split(".")[0])
    assert client_with(key).get("/api/me").json()["username"] == "alice"
    # Afterwards only the prefix: not on the list, the change page, the admin's log or anywhere else.
    listing = admin_client.get("/admin/accounts/apikey/").content.decode()
    assert stored.prefix in listing
    assert key not in listing
    assert key not in admin_client.get(f"/admin/accounts/apikey/{stored.pk}/change/").content.decode()
    assert key not in every_table()
    response = admin_client.post(
        "/admin/accounts/apikey/", {"action": "revoke_selected", "_selected_action": [stored.pk]}, follow=True
    )
    assert "Revoked 1 API keys." in response.content.decode()
    assert client_with(key).get("/api/candidates").status_code == 401


def test_a_revoked_key_cannot_be_brought_back_in_the_admin(admin_client):
    key = api_key_for(UserFactory(username="alice"))
    stored = ApiKey.objects.get()
    ApiKey.objects.update(revoked=True)
    page = admin_client.get(f"/admin/accounts/apikey/{stored.pk}/change/")
    assert page.status_code == 200
    admin_client.post(f"/admin/accounts/apikey/{stored.pk}/change/", {"name": "again", "revoked": ""})
    assert ApiKey.objects.get().revoked is True
    assert client_with(key).get("/api/candidates").status_code == 401


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's backup")
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_backup_holds_no_key():
    import shutil
    import subprocess

    UserFactory(username="alice")
    key = make_key("alice", "--name", "nightly export")[0].strip()
    assert client_with(key).get("/api/candidates").status_code == 200
    settings = connection.settings_dict
    dump = subprocess.run(
        [shutil.which("pg_dump") or "pg_dump", "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432),
         "-U", settings["USER"], settings["NAME"]],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    assert key.split(".")[0] in dump  # the backup has the key's row …
    assert key.split(".")[1] not in dump  # … but not the secret
