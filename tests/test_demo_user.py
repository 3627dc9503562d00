"""`manage.py create_demo_user`: a working superuser key, however the database was left."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import UserFactory


def demo_key() -> str:
    out = io.StringIO()
    call_command("create_demo_user", stdout=out)
    return out.getvalue().split("API key: ")[1].split()[0]


def test_the_demo_key_reads_and_writes(db):
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {demo_key()}")
    assert client.get("/api/candidates").status_code == 200
    body = {"firstName": "A", "lastName": "B", "email": "a@example.com", "position": "Dev"}
    assert client.post("/api/candidates", body, format="json").status_code == 201


def test_running_it_again_replaces_the_key_and_restores_the_rights(db):
    first = demo_key()
    get_user_model().objects.filter(username="demo").update(is_superuser=False, is_active=False)
    second = demo_key()
    assert second != first
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {first}").get("/api/candidates").status_code == 401
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {second}").get("/api/candidates").status_code == 200
    demo = get_user_model().objects.get(username="demo")
    assert (demo.is_superuser, demo.is_staff, demo.is_active) == (True, True, True)


def test_the_printed_password_signs_in_and_is_printed_only_when_made(client, db):
    out = io.StringIO()
    call_command("create_demo_user", "--url", "http://127.0.0.1:8123", stdout=out)
    lines = out.getvalue().splitlines()
    password = lines[1].split()[1]
    assert "http://127.0.0.1:8123/accounts/login/" in lines[1]
    assert lines[-1].endswith("http://127.0.0.1:8123/api/candidates")
    response = client.post("/accounts/login/", {"username": "demo", "password": password})
    assert response.status_code == 302
    assert client.get("/api/me").json()["username"] == "demo"
    again = io.StringIO()
    call_command("create_demo_user", stdout=again)
    assert password not in again.getvalue()
    assert "Password: unchanged" in again.getvalue()


def test_an_existing_plain_user_named_demo_becomes_the_demo_superuser(db):
    UserFactory(username="demo", is_superuser=False, is_staff=False)
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {demo_key()}")
    assert client.get("/api/candidates").status_code == 200
