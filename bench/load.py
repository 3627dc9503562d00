"""
Load a data set made by ../shared/peer/gen.py into this project's database, fast (COPY).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recruitos_bench python bench/load.py DATADIR [--no-vacuum]

Replaces all candidates, interviews and activity (recording the load as one sync run); keeps
users and keys. The same files loaded into the peer (its load.py) make both servers answer
over identical data.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitos.settings")

import django

django.setup()

from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from candidates.models import Candidate  # noqa: E402
from dashboard.services import sync_run_finish, sync_run_start  # noqa: E402
from interviews.models import Interview  # noqa: E402
from recruitos.naming import snake_name  # noqa: E402

FILES = {Candidate: "candidates.csv", Interview: "interviews.csv"}
COLUMNS = {"candidateId": "candidate_id"}  # the file's name for a foreign key → the column


def load(datadir: Path, vacuum: bool = True) -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/load.py loads PostgreSQL only (set DATABASE_URL)")
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE candidates_candidate, interviews_interview, dashboard_activity, dashboard_syncrun")
        for model, name in FILES.items():
            path = datadir / name
            with path.open() as file:
                header = file.readline().strip().split(",")
                columns = ", ".join(COLUMNS.get(column, snake_name(column)) for column in header)
                sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '')"
                with cursor.cursor.copy(sql) as copy:
                    while chunk := file.read(1 << 20):
                        copy.write(chunk)
        for statement in connection.ops.sequence_reset_sql(no_style(), list(FILES)):
            cursor.execute(statement)
        # Recorded as the import command records a sync: the dashboard's lastSync and feed come
        # from it (with no sync and no activity, the newest change is found in the candidates).
        run = sync_run_start(source=f"bench/load.py {datadir.name}")
        sync_run_finish(run=run, created=Candidate.objects.count(), updated=0, failed=0)
    with connection.cursor() as cursor:  # --no-vacuum: ANALYZE only, as a restore or a bulk load leaves it
        for table in ("candidates_candidate", "interviews_interview"):
            cursor.execute(f"{'VACUUM ' if vacuum else ''}ANALYZE {table}")
    counts = {model.__name__: model.objects.count() for model in FILES}
    print(f"loaded {counts} in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if argument != "--no-vacuum"]
    if len(arguments) != 1:
        sys.exit(__doc__)
    load(Path(arguments[0]), vacuum="--no-vacuum" not in sys.argv)
