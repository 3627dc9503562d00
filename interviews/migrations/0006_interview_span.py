"""
The columns no double booking needs: when each interview ends and who its interviewer is as
clashes compare names (computed on save from then on), plus the calendar's SEQUENCE and
LAST-MODIFIED. Existing rows get theirs here: one UPDATE per distinct duration and per distinct
interviewer, not one per row. The columns become required in 0007: PostgreSQL cannot alter a
table in the transaction that has just updated its rows (pending trigger events).
"""

import datetime

from django.db import migrations, models
from django.db.models import F

import recruitos.fields
from interviews.models import interviewer_key


def fill(apps, schema_editor):
    Interview = apps.get_model("interviews", "Interview")
    interviews = Interview.objects.order_by()
    for minutes in interviews.values_list("duration", flat=True).distinct():
        interviews.filter(duration=minutes).update(ends_at=F("scheduled_date") + datetime.timedelta(minutes=minutes))
    for name in interviews.values_list("interviewer", flat=True).distinct():
        interviews.filter(interviewer=name).update(interviewer_key=interviewer_key(name))


def end_field(**kwargs):
    return recruitos.fields.ComputedDateTimeField(
        compute="computed_end", depends_on=("scheduled_date", "duration"), help_text="scheduledDate + duration.",
        **kwargs,
    )


def key_field(**kwargs):
    return recruitos.fields.ComputedTextField(
        compute="computed_interviewer_key", depends_on=("interviewer",),
        help_text="The interviewer's name as clashes compare it: no case, spacing or Unicode form.", **kwargs,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("interviews", "0005_plain_text"),
    ]

    operations = [
        migrations.AddField(model_name="interview", name="ends_at", field=end_field(null=True)),
        migrations.AddField(model_name="interview", name="interviewer_key", field=key_field(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
