"""
The search indexes take new rows into a small pending list (64 kB) instead of one by one.

With `fastupdate` off (0004), each new candidate's trigrams went one by one into three GIN
trees, the largest part of PostgreSQL's work per create. With it on, a new row's entries are
appended to the index's pending list, merged into the tree in bulk when the list reaches
`gin_pending_list_limit` or at the next (auto)vacuum. Searches read the pending list as well,
so they stay exact; kept this small (a few dozen rows), it adds nothing measurable to a
search (bench/README.md, step 20). Changing the options rebuilds nothing.
"""

from django.db import migrations

INDEXES = ("candidate_name_trgm", "candidate_email_trgm", "candidate_position_trgm")


def pending_list_on(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = on, gin_pending_list_limit = 64)")


def pending_list_off(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        schema_editor.execute(f"ALTER INDEX {name} RESET (gin_pending_list_limit)")
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])


class Migration(migrations.Migration):
    dependencies = [("candidates", "0006_tally_slots")]

    operations = [migrations.RunPython(pending_list_on, pending_list_off)]
