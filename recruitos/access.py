"""
Who may have lost access: one signal, `access_lost`, for whatever a user's access ends.

Django's auth models are changed by the admin and by code this project does not own, so the
changes that can take access away are watched here with Django's signals: a user saved (made
inactive, no longer a superuser), a role or permission taken from a user, a permission taken from
a role, a role deleted. Each sends `access_lost(user_ids=[…])` with the users it touched, who may
or may not have lost anything; the receivers (a calendar feed's address, a webhook subscription)
check what each user may do now. `watch()` is called from the `ready()` of each app that listens.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import Signal

#: Sent with `user_ids`: users whose access may have just ended.
access_lost = Signal()


def _lost(user_ids) -> None:
    if user_ids := list(user_ids):
        access_lost.send(sender=None, user_ids=user_ids)


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in: nothing about access changed
    _lost([instance.pk])


def _users_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A user's roles or own permissions lost (`reverse`: from the role's or permission's side)."""
    _around(instance, action, lambda: pk_set if reverse else [instance.pk], lambda: _members(instance, reverse))


def _role_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Permissions taken from a role (`reverse`: a permission taken from roles), from all its users."""

    def users(groups):
        return get_user_model().objects.filter(groups__in=groups).values_list("pk", flat=True).distinct()

    _around(
        instance,
        action,
        lambda: users(list(pk_set) if reverse else [instance.pk]),
        lambda: users(instance.group_set.all() if reverse else [instance.pk]),
    )


def _around(instance, action: str, removed, cleared) -> None:
    """After a remove, the users `removed()` names; around a clear, those `cleared()` named before it."""
    if action == "pre_clear":
        instance._access_users = list(cleared())
    elif action == "post_clear":
        _lost(getattr(instance, "_access_users", []))
    elif action == "post_remove":
        _lost(removed())


def _members(instance, reverse: bool) -> list:
    return list(instance.user_set.values_list("pk", flat=True)) if reverse else [instance.pk]


def _role_deleting(sender, instance, **kwargs):
    instance._access_users = list(instance.user_set.values_list("pk", flat=True))


def _role_deleted(sender, instance, **kwargs):
    _lost(getattr(instance, "_access_users", []))


def watch() -> None:
    """Connect the receivers (once, however many apps call it)."""
    user = get_user_model()
    post_save.connect(_user_saved, sender=user, dispatch_uid="access-user-saved")
    m2m_changed.connect(_users_changed, sender=user.groups.through, dispatch_uid="access-groups")
    m2m_changed.connect(_users_changed, sender=user.user_permissions.through, dispatch_uid="access-permissions")
    m2m_changed.connect(_role_permissions_changed, sender=Group.permissions.through, dispatch_uid="access-role")
    pre_delete.connect(_role_deleting, sender=Group, dispatch_uid="access-role-deleting")
    post_delete.connect(_role_deleted, sender=Group, dispatch_uid="access-role-deleted")
