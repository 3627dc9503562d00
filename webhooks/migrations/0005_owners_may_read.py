"""
Subscriptions made before a subscription was held to its owner's permissions (issue 33): those
whose owner is gone, inactive, or may not read what their events carry are turned off, the
reason shown, as `webhooks.owners` turns them off from now on. The permissions are read as they
are stored (a superuser holds all; otherwise the user's own and their roles'), the mapping of
events to permissions as it stands at this migration.
"""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

EVENT_PERMISSIONS = {
    "candidate": ("candidates.view_candidate",),
    "interview": ("interviews.view_interview",),
    "import": ("candidates.add_candidate", "candidates.change_candidate"),
}


def stop_what_owners_may_not_read(apps, schema_editor):
    Subscription = apps.get_model("webhooks", "Subscription")
    Permission = apps.get_model("auth", "Permission")
    now = timezone.now()
    for subscription in Subscription.objects.filter(active=True).select_related("created_by"):
        owner = subscription.created_by
        needed = {p for event in subscription.events for p in EVENT_PERMISSIONS.get(event.split(".", 1)[0], ())}
        if owner is None:
            why = "its owner was deleted"
        elif not owner.is_active:
            why = "its owner was deactivated"
        elif owner.is_superuser:
            continue
        else:
            held = {
                f"{app}.{codename}"
                for app, codename in Permission.objects.filter(Q(user=owner) | Q(group__user=owner)).values_list(
                    "content_type__app_label", "codename"
                )
            }
            if not (missing := sorted(needed - held)):
                continue
            why = f"its owner no longer holds {', '.join(missing)}"
        subscription.active = False
        subscription.disabled_reason = f"Turned off on {now:%Y-%m-%d %H:%M} UTC: {why}."[:255]
        subscription.save(update_fields=["active", "disabled_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0004_text_rule"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(stop_what_owners_may_not_read, migrations.RunPython.noop)]
