"""
A calendar feed's address ends for good when its user may no longer see interviews.

The address is signed over the user and the feed's version (`interviews.calendars`); a fetch
checks that the user is active and may view interviews. That alone would let an address work
again once the user is reactivated or given a role back. So each change that can take the
access away (the user deactivated or saved without it, a role or permission taken from the user,
a permission taken from a role, a role deleted) moves the version of the feeds of the users who
lost it: their addresses stay ended, and a new one is made on request.

Django's auth models are changed by the admin and by code this project does not own, so these
are signal receivers, connected in `InterviewsConfig.ready()`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from interviews.models import CalendarFeed

PERMISSION = "interviews.view_interview"


def end_feeds_without_access(user_ids) -> int:
    """Move the feed version of those of `user_ids` who are inactive or may not view interviews; how many."""
    feeds = CalendarFeed.objects.filter(user_id__in=list(user_ids))
    users = get_user_model().objects.filter(pk__in=feeds.values("user_id"))
    ended = [user.pk for user in users if not (user.is_active and user.has_perm(PERMISSION))]
    return CalendarFeed.objects.filter(user_id__in=ended).update(version=F("version") + 1) if ended else 0


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in: nothing about access changed
    end_feeds_without_access([instance.pk])


def _users_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A user's roles or own permissions lost (`reverse`: from the role's or permission's side)."""
    _lost(instance, action, lambda: pk_set if reverse else [instance.pk], lambda: _members(instance, reverse))


def _role_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Permissions taken from a role (`reverse`: a permission taken from roles), from all its users."""

    def users(groups):
        return get_user_model().objects.filter(groups__in=groups).values_list("pk", flat=True).distinct()

    _lost(
        instance,
        action,
        lambda: users(list(pk_set) if reverse else [instance.pk]),
        lambda: users(instance.group_set.all() if reverse else [instance.pk]),
    )


def _lost(instance, action: str, removed, cleared) -> None:
    """After a remove, the users `removed()` names; around a clear, those `cleared()` named before it."""
    if action == "pre_clear":
        instance._feed_users = list(cleared())
    elif action == "post_clear":
        end_feeds_without_access(getattr(instance, "_feed_users", []))
    elif action == "post_remove":
        end_feeds_without_access(removed())


def _members(instance, reverse: bool) -> list:
    return list(instance.user_set.values_list("pk", flat=True)) if reverse else [instance.pk]


def _role_deleting(sender, instance, **kwargs):
    instance._feed_users = list(instance.user_set.values_list("pk", flat=True))


def _role_deleted(sender, instance, **kwargs):
    end_feeds_without_access(getattr(instance, "_feed_users", []))


def connect() -> None:
    user = get_user_model()
    post_save.connect(_user_saved, sender=user, dispatch_uid="feeds-user-saved")
    m2m_changed.connect(_users_changed, sender=user.groups.through, dispatch_uid="feeds-groups")
    m2m_changed.connect(_users_changed, sender=user.user_permissions.through, dispatch_uid="feeds-permissions")
    m2m_changed.connect(_role_permissions_changed, sender=Group.permissions.through, dispatch_uid="feeds-role")
    pre_delete.connect(_role_deleting, sender=Group, dispatch_uid="feeds-role-deleting")
    post_delete.connect(_role_deleted, sender=Group, dispatch_uid="feeds-role-deleted")
