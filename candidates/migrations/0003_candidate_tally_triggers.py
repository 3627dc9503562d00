"""
PostgreSQL keeps CandidateTally exact with statement-level triggers: one upsert per statement
(a COPY of a million rows is one), deltas applied in key order so concurrent writers lock
tally rows in the same order, and no tally row touched when phase, status and source stay.
"""

from django.db import migrations

# Transition tables (new_rows, old_rows) are visible only in the trigger function itself,
# so each function carries the upsert, written here once.
UPSERT = """
    INSERT INTO candidates_candidatetally (phase, status, source, count)
    SELECT phase, status, source, SUM(delta) FROM ({deltas}) AS d
    GROUP BY phase, status, source HAVING SUM(delta) <> 0 ORDER BY phase, status, source
    ON CONFLICT (phase, status, source) DO UPDATE SET count = candidates_candidatetally.count + EXCLUDED.count;
"""
DELTAS = {
    "insert": "SELECT phase, status, source, 1 AS delta FROM new_rows",
    "delete": "SELECT phase, status, source, -1 AS delta FROM old_rows",
    "update": "SELECT phase, status, source, 1 AS delta FROM new_rows "
    "UNION ALL SELECT phase, status, source, -1 FROM old_rows",
}
TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
}
TRIGGERS = "".join(
    f"""
CREATE FUNCTION candidate_tally_{op}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {UPSERT.format(deltas=deltas)} RETURN NULL; END $$;
CREATE TRIGGER candidate_tally_{op} AFTER {op.upper()} ON candidates_candidate
    {TRANSITIONS[op]} FOR EACH STATEMENT EXECUTE FUNCTION candidate_tally_{op}();
"""
    for op, deltas in DELTAS.items()
) + """
CREATE FUNCTION candidate_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN DELETE FROM candidates_candidatetally; RETURN NULL; END $$;
CREATE TRIGGER candidate_tally_truncate AFTER TRUNCATE ON candidates_candidate
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_tally_truncate();

INSERT INTO candidates_candidatetally (phase, status, source, count)
    SELECT phase, status, source, COUNT(*) FROM candidates_candidate GROUP BY phase, status, source;
"""

DROP = """
DROP TRIGGER IF EXISTS candidate_tally_insert ON candidates_candidate;
DROP TRIGGER IF EXISTS candidate_tally_delete ON candidates_candidate;
DROP TRIGGER IF EXISTS candidate_tally_update ON candidates_candidate;
DROP TRIGGER IF EXISTS candidate_tally_truncate ON candidates_candidate;
DROP FUNCTION IF EXISTS candidate_tally_insert(), candidate_tally_delete(), candidate_tally_update(),
    candidate_tally_truncate();
DELETE FROM candidates_candidatetally;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("candidates", "0002_candidate_tally")]

    operations = [migrations.RunPython(on_postgresql(TRIGGERS), on_postgresql(DROP))]
