"""`manage.py import_candidates PATH`: create and update candidates from a CSV or JSON file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from candidates.imports import ImportFileError, import_file
from recruitos.commands import int_between


class Command(BaseCommand):
    """Sync candidates from a file, as one recorded sync run."""

    help = (
        "Import candidates from PATH, a CSV file or a JSON array of objects, whose columns are the "
        "API's field names (firstName, lastName, email, position, …; id, appliedDate and lastUpdated "
        "optional). Rows are matched to existing candidates by email, ignoring case: new ones are "
        "created, existing ones get the fields the row has. Each row passes the API's validation; a "
        "bad row is reported with its line number and skipped. Running the same file again changes "
        "nothing. The run shows on the dashboard (syncStatus, lastSync) and in the activity feed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .csv or .json file")
        parser.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
        parser.add_argument(
            "--batch-size", type=int_between(1, 100_000), default=1000, metavar="N",
            help="rows written per transaction (default 1000)",
        )  # fmt: skip

    def handle(self, *args, path, dry_run, batch_size, **options):
        try:
            with Path(path).open("rb") as file:
                result, run = import_file(
                    file,
                    Path(path).name,
                    dry_run=dry_run,
                    batch_size=batch_size,
                    on_error=self._report,
                    progress=self._progress,
                )
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        except ImportFileError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        prefix = "Dry run, nothing written: would have" if dry_run else f"Sync run #{run.pk}:"
        self.stdout.write(
            f"{prefix} {result.rows} rows read from {path}: {result.created} candidates created, "
            f"{result.updated} updated, {result.unchanged} unchanged; {result.failed} rows failed."
        )

    def _report(self, error):
        self.stderr.write(str(error))

    def _progress(self, rows):
        """A progress bar on a terminal; nothing when output goes to a file or a pipe."""
        return tqdm(rows, unit=" rows", disable=None, leave=False)
