"""
Load a data set made by ../shared/peer/gen.py into this project's database, fast (COPY).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recruitos_bench python bench/load.py DATADIR [--no-vacuum]

Replaces all candidates, interviews, activity, history, import jobs and webhook deliveries
(recording the load as one sync run); keeps users, keys and webhook subscriptions. The same files loaded into the peer (its load.py) make both servers answer
over the same rows.

History, which gen.py does not make: each candidate gets the made-up past `seed_demo_data`
gives (created as New when they applied, then moved stage by stage to their status by
`lastUpdated`: `candidates.demo.pipeline_history`), padded with notes edits to at least five
records (5.4 per candidate on average: the way to Hired takes six moves).

One difference: gen.py books its six interviewers many times an hour, which this database
refuses (no double booking). Interviews go through a staging table, where every Scheduled one
that overlaps an earlier one of its interviewer or candidate becomes Cancelled, as if the
clash had been caught when it was booked. Counts of Scheduled interviews differ from the
peer's; the rows, their number and the work of each request do not.
"""

import os
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitos.settings")

import django

django.setup()

from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from candidates.demo import pipeline_history  # noqa: E402
from candidates.models import Candidate  # noqa: E402
from candidates.pipeline import DAYS_IN, STAGE_BITS  # noqa: E402
from dashboard.models import Activity, ActivityEvent, SyncRun, SyncStatus  # noqa: E402
from history.models import Action, HistoryRecord, Subject, Via  # noqa: E402
from history.services import record_of  # noqa: E402
from interviews.models import Interview, interviewer_key  # noqa: E402
from recruitos.naming import snake_name  # noqa: E402

FILES = {Candidate: "candidates.csv", Interview: "interviews.csv"}
COLUMNS = {"candidateId": "candidate_id"}  # the file's name for a foreign key → the column
STAGING = "interview_staging"
# interviewer_key() in SQL, for the ASCII names gen.py writes (load() checks that it agrees).
KEY_SQL = "lower(regexp_replace(btrim(interviewer), '\\s+', ' ', 'g'))"


def load(datadir: Path, vacuum: bool = True) -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/load.py loads PostgreSQL only (set DATABASE_URL)")
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE candidates_candidate, interviews_interview, dashboard_activity, dashboard_syncrun, "
            "history_historyrecord, imports_importjob, webhooks_attempt, webhooks_delivery"
        )
        cursor.execute(
            f"CREATE TEMP TABLE {STAGING} ON COMMIT DROP AS "
            "SELECT id, candidate_id, type, scheduled_date, duration, interviewer, status, notes, rating "
            "FROM interviews_interview WITH NO DATA"
        )
        # The file has no pipeline facts: none yet (load_history folds them in from the history).
        cursor.execute("ALTER TABLE candidates_candidate ALTER stages_left SET DEFAULT 0")
        copy_file(cursor, datadir / FILES[Candidate], Candidate._meta.db_table)
        cursor.execute("ALTER TABLE candidates_candidate ALTER stages_left DROP DEFAULT")
        columns = copy_file(cursor, datadir / FILES[Interview], STAGING)
        cancel_clashes(cursor)
        cursor.execute(
            f"INSERT INTO interviews_interview ({columns}, ends_at, interviewer_key, sequence, last_modified, "
            f"candidate_applied_date) SELECT {staged(columns)}, scheduled_date + duration * interval '1 minute', "
            f"{KEY_SQL}, 0, now(), applied_date FROM {STAGING} AS staged JOIN candidates_candidate AS candidate "
            "ON candidate.id = staged.candidate_id"
        )
        for statement in connection.ops.sequence_reset_sql(no_style(), list(FILES)):
            cursor.execute(statement)
        load_history(cursor)
        # Recorded as an import's end records a sync: the dashboard's lastSync and feed come
        # from it (with no sync and no activity, the newest change is found in the candidates).
        source, created = f"bench/load.py {datadir.name}", Candidate.objects.count()
        SyncRun.objects.create(
            source=source, status=SyncStatus.SYNCED, finished_at=timezone.now(), created_count=created
        )
        Activity.objects.create(event=ActivityEvent.SYNCED, detail=source, count=created)
    with connection.cursor() as cursor:  # --no-vacuum: ANALYZE only, as a restore or a bulk load leaves it
        # load_history's UPDATE of every candidate left two entries per row in each of their
        # indexes, half of them dead: rebuilt, as a restore builds them (and as row-by-row
        # updates keep them, which remove their old entries as they go).
        cursor.execute("REINDEX TABLE candidates_candidate")
        for table in ("candidates_candidate", "interviews_interview", "history_historyrecord"):
            cursor.execute(f"{'VACUUM ' if vacuum else ''}ANALYZE {table}")
    counts = {model.__name__: model.objects.count() for model in (*FILES, HistoryRecord)}
    scheduled = Interview.objects.filter(status="Scheduled").count()
    print(f"loaded {counts} ({scheduled} interviews Scheduled) in {time.monotonic() - started:.1f} s")


HISTORY_COLUMNS = ["subject", "object_id", "candidate_id", "at", "via", "action", "changes", "status", "left_status",
                   "time_in_left_status"]  # fmt: skip
#: Records per candidate at least.
HISTORY_RECORDS = 5


def load_history(cursor) -> None:
    """COPY each candidate's made-up past into the history (see the module's docstring), 10,000 at a time."""
    columns = ", ".join(HISTORY_COLUMNS)
    last = 0
    while people := list(Candidate.objects.filter(pk__gt=last).order_by("pk")[:10_000]):
        with cursor.cursor.copy(f"COPY {HistoryRecord._meta.db_table} ({columns}) FROM STDIN") as copy:
            for person in people:
                for record in _padded_history(person):
                    copy.write_row((
                        Subject.CANDIDATE, person.pk, person.pk, record.at, Via.COMMAND, record.action,
                        orjson.dumps(record.changes).decode(), record.status, record.left_status,
                        record.time_in_left_status,
                    ))  # fmt: skip
        last = people[-1].pk
    # Each candidate entered their status with their last move; their pipeline facts are those
    # moves folded together (what `candidates.pipeline.moved` makes of them one at a time).
    bits = " ".join(f"WHEN '{status}' THEN {bit}" for status, bit in STAGE_BITS.items())
    days = ", ".join(f"{column} = moved.{column}" for column in DAYS_IN.values())
    sums = ", ".join(
        f"sum(extract(epoch FROM time_in_left_status)) FILTER (WHERE left_status = '{status}') / 86400 AS {column}"
        for status, column in DAYS_IN.items()
    )
    cursor.execute(
        f"UPDATE candidates_candidate SET status_since = moved.at, stages_left = moved.stages_left, "
        f"hired_at = moved.hired_at, {days} FROM (SELECT candidate_id, max(at) AS at, "
        f"coalesce(sum(DISTINCT CASE left_status {bits} END), 0) AS stages_left, "
        f"min(at) FILTER (WHERE status = 'Hired' AND left_status IS NOT NULL) AS hired_at, {sums} "
        "FROM history_historyrecord WHERE status IS NOT NULL GROUP BY candidate_id) AS moved "
        "WHERE moved.candidate_id = candidates_candidate.id"
    )


def _padded_history(person: Candidate) -> list[HistoryRecord]:
    records = [record_of(change) for change in pipeline_history(person)]
    for number in range(HISTORY_RECORDS - len(records)):
        changes = {"notes": {"from": None, "to": f"Follow-up {number + 1}"}}
        records.append(HistoryRecord(at=person.last_updated, action=Action.UPDATED, changes=changes))
    return records


def staged(columns: str) -> str:
    """The staging table's `columns`, named as its own."""
    return ", ".join(f"staged.{column.strip()}" for column in columns.split(","))


def copy_file(cursor, path: Path, table: str) -> str:
    """COPY a gen.py CSV file into `table`; the columns it filled, comma-separated."""
    with path.open() as file:
        header = file.readline().strip().split(",")
        columns = ", ".join(COLUMNS.get(column, snake_name(column)) for column in header)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '')") as copy:
            while chunk := file.read(1 << 20):
                copy.write(chunk)
    return columns


def cancel_clashes(cursor) -> None:
    """In time order, each Scheduled interview that overlaps an earlier one of its interviewer or candidate is Cancelled."""
    cursor.execute(f"SELECT DISTINCT interviewer, {KEY_SQL} FROM {STAGING}")
    for name, key in cursor.fetchall():
        if key != interviewer_key(name):
            sys.exit(f"bench/load.py: the name {name!r} needs interviewer_key() in Python, not SQL")
    cursor.execute(
        f"SELECT id, {KEY_SQL}, candidate_id, scheduled_date, scheduled_date + duration * interval '1 minute' "
        f"FROM {STAGING} WHERE status = 'Scheduled' ORDER BY scheduled_date, id"
    )
    busy_until, cancelled = {}, []
    for pk, key, candidate_id, start, end in cursor.fetchall():
        people = (("interviewer", key), ("candidate", candidate_id))
        if any(start < busy_until.get(who, start) for who in people):
            cancelled.append(pk)
        else:
            busy_until.update(dict.fromkeys(people, end))
    cursor.execute(  # a join, not `id = ANY(%s)`: at a million candidates, half a million ids
        f"UPDATE {STAGING} SET status = 'Cancelled' FROM unnest(%s::bigint[]) AS cancelled (id) "
        f"WHERE {STAGING}.id = cancelled.id",
        [cancelled],
    )


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if argument != "--no-vacuum"]
    if len(arguments) != 1:
        sys.exit(__doc__)
    load(Path(arguments[0]), vacuum="--no-vacuum" not in sys.argv)
