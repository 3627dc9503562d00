"""
The pipeline report's facts on each candidate (`candidates.pipeline`), filled from the history
here: the statuses left, the days spent in each (stays whose start is on record), the first move
to Hired. The newest-first index then holds them too, for the report's index-only scan (on
PostgreSQL; SQLite builds the key columns alone). On PostgreSQL one UPDATE from the status moves
grouped per candidate; on SQLite the moves read once in candidate order, one UPDATE per 1,000.
"""

import datetime
import itertools

from django.db import connection, migrations, models

import recruitos.indexes

# As they were when this migration was written (the code's own may change later).
STATUSES = ["New", "Screened", "Phone Interview", "Rejected", "Technical Interview", "Final Interview",
            "Offer Extended", "Hired"]  # fmt: skip
BITS = {status: 1 << place for place, status in enumerate(STATUSES)}
DAYS_IN = {status: "days_in_" + status.lower().replace(" ", "_") for status in STATUSES if status != "Hired"}
FACTS = ["stages_left", "hired_at", *DAYS_IN.values()]
DAY = datetime.timedelta(days=1)
# The same fold in SQL (bit values and status names are this file's constants, not input).
FILL_POSTGRESQL = (
    "UPDATE candidates_candidate SET "
    + ", ".join(f"{fact} = moved.{fact}" for fact in FACTS)
    + " FROM (SELECT candidate_id, sum(DISTINCT CASE left_status "
    + " ".join(f"WHEN '{status}' THEN {bit}" for status, bit in BITS.items())
    + " END) AS stages_left, min(at) FILTER (WHERE status = 'Hired') AS hired_at, "
    + ", ".join(
        f"sum(extract(epoch FROM time_in_left_status)) FILTER (WHERE left_status = '{status}') / 86400 AS {column}"
        for status, column in DAYS_IN.items()
    )
    + " FROM history_historyrecord WHERE subject = 'candidate' AND left_status IS NOT NULL GROUP BY candidate_id)"
    " AS moved WHERE moved.candidate_id = candidates_candidate.id"
)


def fill(apps, schema_editor):
    database = schema_editor.connection if schema_editor else connection  # tests call it without one
    if database.vendor == "postgresql":
        with database.cursor() as cursor:
            cursor.execute(FILL_POSTGRESQL)
        return
    Candidate = apps.get_model("candidates", "Candidate")
    HistoryRecord = apps.get_model("history", "HistoryRecord")
    moves = (
        HistoryRecord.objects.filter(subject="candidate", left_status__isnull=False)
        .order_by("candidate_id", "at", "id")
        .values_list("candidate_id", "status", "left_status", "at", "time_in_left_status")
    )
    batch = []
    for candidate_id, records in itertools.groupby(moves.iterator(chunk_size=5000), key=lambda move: move[0]):
        candidate = Candidate(pk=candidate_id, stages_left=0)
        for _, entered, left, at, spent in records:
            candidate.stages_left |= BITS[left]
            if spent is not None and left in DAYS_IN:
                setattr(candidate, DAYS_IN[left], (getattr(candidate, DAYS_IN[left]) or 0) + spent / DAY)
            if entered == "Hired" and candidate.hired_at is None:
                candidate.hired_at = at
        batch.append(candidate)
        if len(batch) == 1000:
            Candidate.objects.bulk_update(batch, FACTS)
            batch = []
    Candidate.objects.bulk_update(batch, FACTS)


class Migration(migrations.Migration):

    dependencies = [
        ('candidates', '0012_status_since'),
        ('history', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='candidate',
            name='days_in_final_interview',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='days_in_new',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='days_in_offer_extended',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='days_in_phone_interview',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='days_in_rejected',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='days_in_screened',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='days_in_technical_interview',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='hired_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='The first move to Hired.', null=True),
        ),
        migrations.AddField(
            model_name='candidate',
            name='stages_left',
            field=models.PositiveSmallIntegerField(default=0, editable=False, help_text='The statuses left, a bit each (candidates.pipeline.STAGE_BITS).'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(
            model_name='candidate',
            name='candidate_newest_first',
        ),
        migrations.AddIndex(
            model_name='candidate',
            index=recruitos.indexes.CoveringIndex(fields=['-applied_date', '-id'], covering=('source', 'position', 'status', 'stages_left', 'hired_at', 'days_in_new', 'days_in_screened', 'days_in_phone_interview', 'days_in_rejected', 'days_in_technical_interview', 'days_in_final_interview', 'days_in_offer_extended'), name='candidate_newest_first'),
        ),
    ]
