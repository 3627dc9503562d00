"""
A subscription sends only what its owner may read: it stops, the reason shown as for failures,
when the owner is deactivated, deleted, or loses a permission its events need (`recruitos.access`
says when access may have ended). Turning it on again checks the owner's permissions anew.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_delete
from django.utils import timezone

from recruitos import access
from webhooks.known import subscriptions_changed
from webhooks.models import Subscription, missing_permissions


def stop_subscriptions_without_access(user_ids) -> int:
    """Stop the active subscriptions of `user_ids` whose owner may no longer receive their events; how many."""
    stopped = 0
    for subscription in Subscription.objects.filter(active=True, created_by__in=list(user_ids)).select_related(
        "created_by"
    ):
        owner = subscription.created_by
        if not owner.is_active:
            stopped += _stop(subscription, "its owner was deactivated")
        elif missing := missing_permissions(owner, subscription.events):
            stopped += _stop(subscription, f"its owner no longer holds {', '.join(missing)}")
    return stopped


def _stop(subscription: Subscription, why: str) -> int:
    reason = f"Turned off on {timezone.now():%Y-%m-%d %H:%M} UTC: {why}."[:255]
    stopped = Subscription.objects.filter(pk=subscription.pk, active=True).update(active=False, disabled_reason=reason)
    if stopped:
        subscriptions_changed()
    return stopped


def _access_lost(sender, user_ids, **kwargs):
    stop_subscriptions_without_access(user_ids)


def _user_deleting(sender, instance, **kwargs):
    for subscription in Subscription.objects.filter(active=True, created_by=instance):
        _stop(subscription, "its owner was deleted")


def connect() -> None:
    access.watch()
    access.access_lost.connect(_access_lost, dispatch_uid="webhooks-access-lost")
    pre_delete.connect(_user_deleting, sender=get_user_model(), dispatch_uid="webhooks-owner-deleted")
