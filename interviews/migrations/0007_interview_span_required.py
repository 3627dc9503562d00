"""The computed columns of 0006 required from now on; the calendar's SEQUENCE and LAST-MODIFIED."""

from django.db import migrations, models

import recruitos.fields


class Migration(migrations.Migration):

    dependencies = [
        ("interviews", "0006_interview_span"),
    ]

    operations = [
        migrations.AlterField(
            model_name="interview",
            name="ends_at",
            field=recruitos.fields.ComputedDateTimeField(
                compute="computed_end", depends_on=("scheduled_date", "duration"), help_text="scheduledDate + duration."
            ),
        ),
        migrations.AlterField(
            model_name="interview",
            name="interviewer_key",
            field=recruitos.fields.ComputedTextField(
                compute="computed_interviewer_key", depends_on=("interviewer",),
                help_text="The interviewer's name as clashes compare it: no case, spacing or Unicode form.",
            ),
        ),
        migrations.AddField(
            model_name="interview",
            name="last_modified",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name="interview",
            name="sequence",
            field=models.PositiveIntegerField(
                default=0, editable=False,
                help_text="iCalendar's SEQUENCE: one more each time the time or status changes.",
            ),
        ),
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(fields=["interviewer_key", "scheduled_date"], name="interview_interviewer_day"),
        ),
    ]
