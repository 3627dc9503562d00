"""`/api/webhooks` and the admin's subscriptions: who may, what is shown (the secret once), what URLs are refused."""

import base64

import pytest
from django.contrib.auth.models import Permission

from tests.factories import api_key_for, person
from webhooks.models import Subscription

PUBLIC_URL = "https://93.184.216.34/hooks"  # a public address, written as one: no name to resolve


def test_a_subscription_is_made_and_its_secret_shown_once(auth_client, user):
    response = auth_client.post(
        "/api/webhooks", {"url": PUBLIC_URL, "events": ["candidate.hired", "candidate.created"]}
    )
    assert response.status_code == 201
    body = response.json()
    subscription = Subscription.objects.get()
    assert body == {
        "id": subscription.pk, "url": PUBLIC_URL, "events": ["candidate.created", "candidate.hired"], "active": True,
        "minimalPayload": False, "description": "", "createdAt": body["createdAt"], "consecutiveFailures": 0,
        "lastSuccessAt": None, "disabledReason": "", "secret": subscription.secret,
    }  # fmt: skip
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"))) == 32
    assert subscription.created_by == user
    read = auth_client.get(f"/api/webhooks/{subscription.pk}").json()
    assert "secret" not in read
    assert "secret" not in auth_client.get("/api/webhooks").json()[0]
    changed = auth_client.patch(f"/api/webhooks/{subscription.pk}", {"active": False, "minimalPayload": True})
    assert (changed.status_code, changed.json()["active"], changed.json()["minimalPayload"]) == (200, False, True)
    assert "secret" not in changed.json()
    assert auth_client.delete(f"/api/webhooks/{subscription.pk}").status_code == 204
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://93.184.216.34/hooks", "Not allowed: the URL must start with https://."),
        ("https://127.0.0.1/hooks", "Not allowed: the host 127.0.0.1 resolves to an internal address (127.0.0.1)."),
        ("https://localhost/", "Not allowed: the host localhost resolves to an internal address"),
        ("https://localhost:8000/", "Not allowed: the port 8000 is not one webhooks may use"),
        ("https://10.1.2.3/", "Not allowed: the host 10.1.2.3 resolves to an internal address (10.1.2.3)."),
        ("https://192.168.0.10/", "Not allowed: the host 192.168.0.10 resolves to an internal address (192.168.0.10)."),
        (
            "https://169.254.169.254/latest/meta-data",
            "Not allowed: the host 169.254.169.254 resolves to an internal address (169.254.169.254).",
        ),
        ("https://100.64.0.1/", "Not allowed: the host 100.64.0.1 resolves to an internal address (100.64.0.1)."),
        ("https://[::1]/", "Not allowed: the host ::1 resolves to an internal address (::1)."),
        (
            "https://[::ffff:127.0.0.1]/",
            "Not allowed: the host ::ffff:127.0.0.1 resolves to an internal address (::ffff:127.0.0.1).",
        ),
        ("https://[fd00::1]/", "Not allowed: the host fd00::1 resolves to an internal address (fd00::1)."),
        (
            "https://[64:ff9b::a9fe:a9fe]/",
            "Not allowed: the host 64:ff9b::a9fe:a9fe resolves to an internal address (64:ff9b::a9fe:a9fe).",
        ),
        ("https://2130706433/", "Not allowed: the host 2130706433 resolves to an internal address (127.0.0.1)."),
        ("https://0x7f.1/", "Not allowed: the host 0x7f.1 resolves to an internal address (127.0.0.1)."),
        ("https://0.0.0.0/", "Not allowed: the host 0.0.0.0 resolves to an internal address (0.0.0.0)."),
        ("https://[::127.0.0.1]/", "Not allowed: the host ::127.0.0.1 resolves to an internal address (::127.0.0.1)."),
        (
            "https://[::ffff:0:127.0.0.1]/",
            "Not allowed: the host ::ffff:0:127.0.0.1 resolves to an internal address (::ffff:0:7f00:1).",
        ),
        (
            "https://[64:ff9b:1::a9fe:a9fe]/",
            "Not allowed: the host 64:ff9b:1::a9fe:a9fe resolves to an internal address (64:ff9b:1::a9fe:a9fe).",
        ),
        ("https://[fec0::1]/", "Not allowed: the host fec0::1 resolves to an internal address (fec0::1)."),
        (
            "https://[::a9fe:a9fe]/",
            "Not allowed: the host ::a9fe:a9fe resolves to an internal address (::169.254.169.254).",
        ),
        ("https://192.0.0.8/", "Not allowed: the host 192.0.0.8 resolves to an internal address (192.0.0.8)."),
        (
            "https://93.184.216.34:0/",
            "Not allowed: the port 0 is not one webhooks may use (443: WEBHOOK_ALLOWED_PORTS).",
        ),
        (
            "https://93.184.216.34:22/",
            "Not allowed: the port 22 is not one webhooks may use (443: WEBHOOK_ALLOWED_PORTS).",
        ),
        (
            "https://93.184.216.34:8443/",
            "Not allowed: the port 8443 is not one webhooks may use (443: WEBHOOK_ALLOWED_PORTS).",
        ),
        ("https://user:secret@93.184.216.34/", "Not allowed: the URL may not hold a user name or password."),
        ("https://no-such-host.invalid/", "Not allowed: the host no-such-host.invalid cannot be resolved."),
        ("ftp://93.184.216.34/", "Not allowed: the URL must start with https://."),
    ],
)
def test_urls_that_reach_inside_are_refused(auth_client, url, message):
    response = auth_client.post("/api/webhooks", {"url": url, "events": ["candidate.created"]})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "url"
    assert error["message"].startswith(message), error["message"]
    assert not Subscription.objects.exists()


def test_other_ports_are_allowed_when_listed(auth_client, settings):
    settings.WEBHOOK_ALLOWED_PORTS = [443, 8443]
    assert (
        auth_client.post(
            "/api/webhooks", {"url": "https://93.184.216.34:8443/", "events": ["candidate.created"]}
        ).status_code
        == 201
    )
    refused = auth_client.post("/api/webhooks", {"url": "https://93.184.216.34:8080/", "events": ["candidate.created"]})
    assert refused.json()["errors"][0]["message"].startswith(
        "Not allowed: the port 8080 is not one webhooks may use (443, 8443: WEBHOOK_ALLOWED_PORTS)."
    )


def test_private_networks_and_http_are_allowed_only_when_switched_on(auth_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    response = auth_client.post(
        "/api/webhooks", {"url": "http://127.0.0.1:9000/hooks", "events": ["candidate.created"]}
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([], "This list may not be empty."),
        (["candidate.exploded"], '"candidate.exploded" is not a valid choice.'),
        ("candidate.created", 'Expected a list of items but got type "str".'),
    ],
)
def test_events_must_be_known_ones(auth_client, events, message):
    response = auth_client.post("/api/webhooks", {"url": PUBLIC_URL, "events": events})
    assert response.status_code == 400
    assert [error["message"] for error in response.json()["errors"]] == [message]


def test_only_superusers_and_holders_of_the_permissions_manage_subscriptions(api_client, db):
    recruiter = person("rita", "Recruiter")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_for(recruiter)}")
    new = {"url": PUBLIC_URL, "events": ["candidate.created"]}
    assert api_client.get("/api/webhooks").status_code == 403
    assert api_client.post("/api/webhooks", new, format="json").status_code == 403
    recruiter.user_permissions.add(*Permission.objects.filter(codename__in=["add_subscription", "view_subscription"]))
    assert api_client.post("/api/webhooks", new, format="json").status_code == 201
    subscription = Subscription.objects.get()
    assert api_client.delete(f"/api/webhooks/{subscription.pk}").status_code == 403  # no delete permission


def test_turning_a_disabled_subscription_on_forgets_its_failures(auth_client, user):
    subscription = Subscription.objects.create(url=PUBLIC_URL, events=["candidate.created"], active=False, created_by=user,
                                               consecutive_failures=12, disabled_reason="The receiver answered 410 Gone.")  # fmt: skip
    body = auth_client.patch(f"/api/webhooks/{subscription.pk}", {"active": True}).json()
    assert (body["active"], body["consecutiveFailures"], body["disabledReason"]) == (True, 0, "")


def test_the_admin_shows_the_secret_once_and_refuses_internal_urls(admin_client):
    form = {"url": "https://127.0.0.1/", "events": ["candidate.created"], "active": "on", "description": ""}
    page = admin_client.post("/admin/webhooks/subscription/add/", form)
    assert page.status_code == 200
    assert "resolves to an internal address" in page.content.decode()
    form["url"] = PUBLIC_URL
    page = admin_client.post("/admin/webhooks/subscription/add/", form, follow=True)
    subscription = Subscription.objects.get()
    messages = [str(message) for message in page.context["messages"]]
    assert any(subscription.secret in message for message in messages)
    change = admin_client.get(f"/admin/webhooks/subscription/{subscription.pk}/change/").content.decode()
    assert subscription.secret not in change


@pytest.mark.parametrize("missing", ["999", "abc", "0.5", "0", str(2**70)])
def test_unknown_ids_are_404(auth_client, missing):
    for method in ("get", "patch", "delete"):
        response = getattr(auth_client, method)(f"/api/webhooks/{missing}")
        assert (response.status_code, response.json()) == (404, {"detail": "Subscription not found"})
