"""
Each interview keeps its candidate's appliedDate (computed on save from then on; the candidate
services update it when the date moves), for the pipeline report's interviewers. Existing rows
get theirs here, in one UPDATE; the column becomes required in 0011 (PostgreSQL cannot alter a
table in the transaction that has just updated its rows).
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery

import recruitos.fields


def fill(apps, schema_editor):
    Candidate = apps.get_model("candidates", "Candidate")
    applied = Candidate.objects.filter(pk=OuterRef("candidate_id")).values("applied_date")
    apps.get_model("interviews", "Interview").objects.update(candidate_applied_date=Subquery(applied))


def applied_field(**kwargs):
    return recruitos.fields.ComputedDateTimeField(
        compute="computed_candidate_applied_date", depends_on=("candidate",),
        help_text="The candidate's appliedDate, for the pipeline report; the candidate services keep it.",
        **kwargs,
    )  # fmt: skip


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0013_pipeline_facts"),
        ("interviews", "0009_calendar_feed"),
    ]

    operations = [
        migrations.AddField(model_name="interview", name="candidate_applied_date", field=applied_field(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
