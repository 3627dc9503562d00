"""
A subscription is a window on what its owner may read, no wider (issue 33, item 1): making one
needs the permissions its events need, and it stops, the reason shown, when the owner is
deactivated, deleted or loses one; access given back does not turn it on again by itself.
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from candidates.models import Candidate
from candidates.services import candidate_create
from tests.factories import api_key_for, person, role
from webhooks.models import Delivery, Subscription

PUBLIC_URL = "https://93.184.216.34/hooks"


def allowed(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def client_of(user) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {api_key_for(user)}")


@pytest.mark.parametrize(
    ("events", "needed"),
    [
        (["candidate.created"], "candidates.view_candidate"),
        (["interview.scheduled", "candidate.hired"], "candidates.view_candidate, interviews.view_interview"),
        (["import.finished"], "candidates.add_candidate, candidates.change_candidate"),
    ],
)
def test_holding_only_the_subscription_permissions_gives_no_window_on_the_data(db, events, needed):
    webhooker = person("wes", role_name=None)
    allowed(webhooker, "add_subscription", "view_subscription")
    client = client_of(webhooker)
    assert client.get("/api/candidates").status_code == 403
    response = client.post("/api/webhooks", {"url": PUBLIC_URL, "events": events}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "events",
            "message": f"The subscription's owner may not read what these events carry: {needed} needed.",
        }
    ]
    assert not Subscription.objects.exists()


def test_with_the_view_permissions_a_subscription_is_made(db):
    webhooker = person("wes", "Viewer")
    allowed(webhooker, "add_subscription", "view_subscription")
    response = client_of(webhooker).post(
        "/api/webhooks", {"url": PUBLIC_URL, "events": ["candidate.created", "interview.scheduled"]}, format="json"
    )
    assert response.status_code == 201
    assert Subscription.objects.get().created_by == webhooker


@pytest.fixture
def owned(db):
    owner = person("wes", "Viewer")
    allowed(owner, "add_subscription", "view_subscription", "change_subscription")
    body = {"url": PUBLIC_URL, "events": ["candidate.created"]}
    assert client_of(owner).post("/api/webhooks", body, format="json").status_code == 201
    return owner, Subscription.objects.get()


def stopped(subscription) -> tuple[bool, str]:
    subscription.refresh_from_db()
    return subscription.active, subscription.disabled_reason.split(": ", 1)[-1]


def test_deactivating_the_owner_stops_it_and_reactivating_does_not_start_it(owned):
    owner, subscription = owned
    owner.is_active = False
    owner.save()
    assert stopped(subscription) == (False, "its owner was deactivated.")
    owner.is_active = True
    owner.save()
    assert stopped(subscription) == (False, "its owner was deactivated.")
    candidate_create(data={"first_name": "A", "last_name": "B", "email": "a@example.com", "position": "Dev"})
    assert Candidate.objects.count() == 1
    assert not Delivery.objects.exists()  # a stopped subscription gets nothing
    turned_on = client_of(owner).patch(f"/api/webhooks/{subscription.pk}", {"active": True}, format="json")
    assert (turned_on.status_code, turned_on.json()["active"], turned_on.json()["disabledReason"]) == (200, True, "")


def test_losing_the_role_stops_it_and_turning_it_on_needs_the_permission_again(owned):
    owner, subscription = owned
    owner.groups.add(role("Recruiter"))
    owner.groups.remove(role("Recruiter"))  # still a Viewer: nothing lost
    assert stopped(subscription) == (True, "")
    owner.groups.remove(role("Viewer"))
    assert stopped(subscription) == (False, "its owner no longer holds candidates.view_candidate.")
    refused = client_of(owner).patch(f"/api/webhooks/{subscription.pk}", {"active": True}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "events"


def test_a_permission_taken_from_the_role_stops_it(owned):
    _, subscription = owned
    role("Viewer").permissions.remove(Permission.objects.get(codename="view_candidate"))
    assert stopped(subscription) == (False, "its owner no longer holds candidates.view_candidate.")


def test_deleting_the_owner_stops_it(owned):
    owner, subscription = owned
    owner.delete()
    assert stopped(subscription) == (False, "its owner was deleted.")
    subscription.refresh_from_db()
    assert subscription.created_by is None


def test_the_admin_refuses_events_its_maker_may_not_read(db, client):
    staff = person("sam", role_name=None, is_staff=True)
    allowed(staff, "add_subscription", "view_subscription")
    client.force_login(staff)
    form = {"url": PUBLIC_URL, "events": ["candidate.created"], "active": "on", "description": ""}
    page = client.post("/admin/webhooks/subscription/add/", form)
    assert page.status_code == 200
    assert "may not read what these events carry: candidates.view_candidate needed." in page.content.decode()
    assert not Subscription.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_migrations_after")
def test_the_upgrade_turns_off_what_owners_may_not_read():
    """Subscriptions made before this rule: those of a gone, inactive or unpermitted owner are turned off."""
    MigrationExecutor(connection).migrate([("webhooks", "0004_text_rule")])
    viewer, webhooker, inactive = person("vera", "Viewer"), person("wes", role_name=None), person("ina", "Viewer")
    inactive.is_active = False
    inactive.save()
    admin = person("ada", role_name=None, is_superuser=True)
    made = {}
    for name, owner, events in [
        ("viewer", viewer, ["candidate.created"]), ("viewer imports", viewer, ["import.finished"]),
        ("webhooker", webhooker, ["candidate.created"]), ("inactive", inactive, ["candidate.created"]),
        ("admin", admin, ["interview.scheduled", "import.finished"]), ("nobody", None, ["candidate.created"]),
    ]:  # fmt: skip
        made[name] = Subscription.objects.create(url=PUBLIC_URL, events=events, created_by=owner).pk
    MigrationExecutor(connection).migrate([("webhooks", "0005_owners_may_read")])
    after = {name: stopped(Subscription.objects.get(pk=pk)) for name, pk in made.items()}
    assert after == {
        "viewer": (True, ""),
        "viewer imports": (False, "its owner no longer holds candidates.add_candidate, candidates.change_candidate."),
        "webhooker": (False, "its owner no longer holds candidates.view_candidate."),
        "inactive": (False, "its owner was deactivated."),
        "admin": (True, ""),
        "nobody": (False, "its owner was deleted."),
    }


def test_the_admin_cannot_turn_on_a_subscription_whose_owner_is_gone(db, admin_client):
    subscription = Subscription.objects.create(url=PUBLIC_URL, events=["candidate.created"], active=False,
                                               disabled_reason="Turned off: its owner was deleted.")  # fmt: skip
    form = {"url": PUBLIC_URL, "events": ["candidate.created"], "active": "on", "description": ""}
    page = admin_client.post(f"/admin/webhooks/subscription/{subscription.pk}/change/", form)
    assert page.status_code == 200
    assert "candidates.view_candidate needed." in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.active is False
