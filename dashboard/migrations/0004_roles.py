"""The back office's roles: "Recruiter" works on candidates and interviews, "Viewer" only looks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECRUITER = {
    "candidates": {"candidate": ["view", "add", "change", "delete"]},
    "interviews": {"interview": ["view", "add", "change", "delete"]},
    "dashboard": {"activity": ["view"], "syncrun": ["view"]},
}
VIEWER = {
    "candidates": {"candidate": ["view"]},
    "interviews": {"interview": ["view"]},
    "dashboard": {"activity": ["view"], "syncrun": ["view"]},
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in (("Recruiter", RECRUITER), ("Viewer", VIEWER)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, models in grants.items():
            for model, actions in models.items():
                codenames = [f"{action}_{model}" for action in actions]
                group.permissions.add(
                    *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
                )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Recruiter", "Viewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("candidates", "0001_initial"),
        ("interviews", "0001_initial"),
        ("dashboard", "0003_activity_forget_candidate_on_delete"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
