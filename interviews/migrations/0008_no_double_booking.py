"""
No double booking on PostgreSQL: two exclusion constraints (btree_gist for `=` on the key inside
a GiST index). On a database that holds overlapping Scheduled interviews already, the migration
stops first and names them, on SQLite too (whose services keep the rule from now on):
`manage.py find_interview_conflicts` lists them all; move or cancel them, then migrate again.
"""

import django.contrib.postgres.fields.ranges
from django.core.management.base import CommandError
from django.db import migrations, models

import recruitos.constraints
from interviews.clashes import overlaps

SHOWN = 10


def refuse_overlaps(apps, schema_editor):
    found = []
    for overlap in overlaps(apps.get_model("interviews", "Interview").objects.all()):
        found.append(str(overlap))
        if len(found) > SHOWN:
            break
    if found:
        more = " and more" if len(found) > SHOWN else ""
        raise CommandError(
            "Scheduled interviews overlap, so the rule against double booking cannot be added yet: "
            + "; ".join(found[:SHOWN]) + more
            + ". Run `manage.py find_interview_conflicts` to list them all, move or cancel them, then migrate again."
        )


def add_btree_gist(apps, schema_editor):
    # Not BtreeGistExtension: its reverse queries pg_extension on SQLite too. Kept on the way back:
    # other databases' objects may use it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")


def span():
    return recruitos.constraints.TsTzRange(
        "scheduled_date", "ends_at", django.contrib.postgres.fields.ranges.RangeBoundary()
    )


class Migration(migrations.Migration):

    dependencies = [
        ("interviews", "0007_interview_span_required"),
    ]

    operations = [
        migrations.RunPython(refuse_overlaps, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_btree_gist, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="interview",
            constraint=recruitos.constraints.PostgresExclusionConstraint(
                condition=models.Q(("status", "Scheduled")),
                expressions=[("interviewer_key", "="), (span(), "&&")],
                name="interview_interviewer_free",
            ),
        ),
        migrations.AddConstraint(
            model_name="interview",
            constraint=recruitos.constraints.PostgresExclusionConstraint(
                condition=models.Q(("status", "Scheduled")),
                expressions=[("candidate", "="), (span(), "&&")],
                name="interview_candidate_free",
            ),
        ),
    ]
