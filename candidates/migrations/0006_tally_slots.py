"""
The tally gets slots: each transaction adds its changes to the row of the slot its
transaction id picks, so simultaneous writers of alike candidates no longer wait on one row
for each other's commit (`CandidateTally`). Reversing sums the slots back into one row each.
"""

import importlib

from django.db import migrations, models

triggers = importlib.import_module("candidates.migrations.0003_candidate_tally_triggers")

SLOTS = 16  # CandidateTally.SLOTS when this was written; a migration keeps its own value.

SLOTTED_UPSERT = f"""
    INSERT INTO candidates_candidatetally (phase, status, source, slot, count)
    SELECT phase, status, source, mod(txid_current(), {SLOTS})::smallint, SUM(delta) FROM ({{deltas}}) AS d
    GROUP BY phase, status, source HAVING SUM(delta) <> 0 ORDER BY phase, status, source
    ON CONFLICT (phase, status, source, slot)
    DO UPDATE SET count = candidates_candidatetally.count + EXCLUDED.count;
"""


def functions(upsert: str) -> str:
    """The insert, delete and update trigger functions of migration 0003, with `upsert`."""
    return "".join(
        f"""
CREATE OR REPLACE FUNCTION candidate_tally_{op}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {upsert.format(deltas=deltas)} RETURN NULL; END $$;
"""
        for op, deltas in triggers.DELTAS.items()
    )


ONE_ROW_PER_KEY = """
CREATE TEMPORARY TABLE candidate_tally_sums ON COMMIT DROP AS
    SELECT phase, status, source, SUM(count) AS count FROM candidates_candidatetally
    GROUP BY phase, status, source;
DELETE FROM candidates_candidatetally;
INSERT INTO candidates_candidatetally (phase, status, source, slot, count)
    SELECT phase, status, source, 0, count FROM candidate_tally_sums WHERE count <> 0;
"""


class Migration(migrations.Migration):
    dependencies = [("candidates", "0005_status_newest_index")]

    operations = [
        migrations.RemoveConstraint(model_name="candidatetally", name="candidate_tally_key"),
        migrations.AddField(
            model_name="candidatetally", name="slot", field=models.PositiveSmallIntegerField(default=0)
        ),
        migrations.AddConstraint(
            model_name="candidatetally",
            constraint=models.UniqueConstraint(
                fields=("phase", "status", "source", "slot"), name="candidate_tally_slot_key"
            ),
        ),
        migrations.RunPython(
            triggers.on_postgresql(functions(SLOTTED_UPSERT)),
            triggers.on_postgresql(ONE_ROW_PER_KEY + functions(triggers.UPSERT)),
        ),
    ]
