"""0010's column required from now on, and the index the pipeline report's interviewers read alone (PostgreSQL)."""

from django.db import migrations

import recruitos.fields
import recruitos.indexes


class Migration(migrations.Migration):

    dependencies = [
        ("interviews", "0010_candidate_applied_date"),
    ]

    operations = [
        migrations.AlterField(
            model_name="interview",
            name="candidate_applied_date",
            field=recruitos.fields.ComputedDateTimeField(
                compute="computed_candidate_applied_date", depends_on=("candidate",),
                help_text="The candidate's appliedDate, for the pipeline report; the candidate services keep it.",
            ),  # fmt: skip
        ),
        migrations.AddIndex(
            model_name="interview",
            index=recruitos.indexes.CoveringIndex(
                fields=["candidate_applied_date"],
                covering=("interviewer_key", "status", "rating"),
                name="interview_by_applicant_day",
            ),
        ),
    ]
