"""
Carry the keys of DRF's authtoken (stored in plain text) over as hashed API keys, then drop
its table and every trace of it: its admin log entries (which named the keys), content types
and permissions. A key keeps working: its prefix is its first 8 characters. A database that
never had the table is left as it is.
"""

from django.db import migrations
from rest_framework_api_key.crypto import KeyGenerator

TOKENS = "authtoken_token"


def carry_over(apps, schema_editor):
    connection = schema_editor.connection
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    old_types = ContentType.objects.filter(app_label="authtoken")
    LogEntry.objects.filter(content_type__in=old_types).delete()
    old_types.delete()  # with their permissions
    if TOKENS not in connection.introspection.table_names():
        return
    ApiKey = apps.get_model("accounts", "ApiKey")
    generator = KeyGenerator()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {connection.ops.quote_name(TOKENS)}")
        tokens = cursor.fetchall()
    prefixes = {}
    for key, user_id, created in tokens:
        prefix = key[:8]
        if prefix in prefixes:
            raise RuntimeError(
                f"The keys of users {prefixes[prefix]} and {user_id} begin with the same 8 characters, so both "
                f"cannot be carried over: delete one of them in authtoken_token, migrate, and make that user a new key."
            )
        prefixes[prefix] = user_id
        hashed = generator.hash(key)
        ApiKey.objects.create(
            id=f"{prefix}.{hashed}", prefix=prefix, hashed_key=hashed, name="Key made before hashing", user_id=user_id
        )
        ApiKey.objects.filter(prefix=prefix).update(created=created)  # `created` is auto_now_add
    schema_editor.execute(f"DROP TABLE {connection.ops.quote_name(TOKENS)}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Backwards: the keys stay hashed (a plain-text copy cannot be made again).
    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
