"""
Trigram GIN indexes for `search`, on PostgreSQL only (SQLite cannot build them and needs none).

`search` compiles to `UPPER(<expression>::text) LIKE UPPER('%term%')`; an index on the bare
column is not used for that, an index on the same UPPER(...) expression is (Django ticket
#32803). The expressions here are the ones CandidateQuerySet.search() filters on.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Upper


def trigram(expression, name):
    # fastupdate off: new rows go straight into the index rather than a pending list that every
    # search would scan until the next vacuum; reads far outnumber writes here.
    return GinIndex(OpClass(Upper(expression), name="gin_trgm_ops"), name=name, fastupdate=False)


INDEXES = [
    trigram(Concat("first_name", Value(" "), "last_name"), "candidate_name_trgm"),
    trigram("email", "candidate_email_trgm"),
    trigram("position", "candidate_position_trgm"),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    candidate = apps.get_model("candidates", "Candidate")
    for index in INDEXES:
        schema_editor.add_index(candidate, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    candidate = apps.get_model("candidates", "Candidate")
    for index in INDEXES:
        schema_editor.remove_index(candidate, index)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0003_candidate_tally_triggers")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
