"""
The trigram search indexes, declared in `Candidate.Meta.indexes` from now on, so that
`makemigrations` sees them. On PostgreSQL migrations 0004 and 0007 built them exactly as
declared (same names, expressions, `fastupdate` and pending list), so this records them
in the migration state only; elsewhere it builds `TrigramIndex`'s empty placeholders.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

import recruitos.indexes

INDEXES = [
    recruitos.indexes.TrigramIndex(
        django.contrib.postgres.indexes.OpClass(
            django.db.models.functions.text.Upper(
                django.db.models.functions.text.Concat("first_name", models.Value(" "), "last_name")
            ),
            name="gin_trgm_ops",
        ),
        fastupdate=True,
        gin_pending_list_limit=64,
        name="candidate_name_trgm",
    ),
    recruitos.indexes.TrigramIndex(
        django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper("email"), name="gin_trgm_ops"),
        fastupdate=True,
        gin_pending_list_limit=64,
        name="candidate_email_trgm",
    ),
    recruitos.indexes.TrigramIndex(
        django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper("position"), name="gin_trgm_ops"),
        fastupdate=True,
        gin_pending_list_limit=64,
        name="candidate_position_trgm",
    ),
]


def add_placeholders(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    candidate = apps.get_model("candidates", "Candidate")
    for index in INDEXES:
        schema_editor.add_index(candidate, index)


def remove_placeholders(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    candidate = apps.get_model("candidates", "Candidate")
    for index in INDEXES:
        schema_editor.remove_index(candidate, index)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0007_trigram_pending_list")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="candidate", index=index) for index in INDEXES],
            database_operations=[migrations.RunPython(add_placeholders, remove_placeholders)],
        )
    ]
