"""A record about an interview follows the interview to its current candidate, whose erasure erases it."""

from django.db import migrations

FOLLOW = {
    "postgresql": (
        "UPDATE history_historyrecord AS h SET candidate_id = i.candidate_id FROM interviews_interview AS i "
        "WHERE h.subject = 'interview' AND i.id = h.object_id AND h.candidate_id IS DISTINCT FROM i.candidate_id"
    ),
    "sqlite": (
        "UPDATE history_historyrecord SET candidate_id = (SELECT candidate_id FROM interviews_interview AS i "
        "WHERE i.id = history_historyrecord.object_id) WHERE subject = 'interview' AND EXISTS (SELECT 1 "
        "FROM interviews_interview AS i WHERE i.id = history_historyrecord.object_id AND i.candidate_id IS NOT "
        "history_historyrecord.candidate_id)"
    ),
}


def follow(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FOLLOW[schema_editor.connection.vendor])


class Migration(migrations.Migration):

    dependencies = [
        ("history", "0001_initial"),
        ("interviews", "0011_candidate_applied_date_required"),
    ]

    operations = [migrations.RunPython(follow, migrations.RunPython.noop)]
