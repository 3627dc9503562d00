"""`manage.py import_candidates PATH`: create and update candidates from a CSV or JSON file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from imports.importer import ImportFileError
from imports.models import ImportStatus
from imports.services import import_here
from recruitos.commands import int_between


class Command(BaseCommand):
    """Sync candidates from a file, as an import job run here (it shows in /api/imports and on the dashboard)."""

    help = (
        "Import candidates from PATH, a CSV file or a JSON array of objects, whose columns are the "
        "API's field names (firstName, lastName, email, position, …; id, appliedDate and lastUpdated "
        "optional). Rows are matched to existing candidates by email, ignoring case: new ones are "
        "created, existing ones get the fields the row has. Each row passes the API's validation; a "
        "bad row is reported with its line number and skipped. Running the same file again changes "
        "nothing. The run is an import job (GET /api/imports) and shows on the dashboard (syncStatus, "
        "lastSync) and in the activity feed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .csv or .json file")
        parser.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
        parser.add_argument(
            "--batch-size", type=int_between(1, 10_000), default=1000, metavar="N",
            help="rows written per transaction (default 1000, at most 10,000: a statement holds at most 65,535 values)",
        )  # fmt: skip

    def handle(self, *args, path, dry_run, batch_size, **options):
        try:
            with Path(path).open("rb") as file:
                job = import_here(
                    file, Path(path).name, dry_run=dry_run, batch_size=batch_size, on_error=self._report,
                    progress=self._progress,
                )  # fmt: skip
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        except ImportFileError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        if job.status == ImportStatus.FAILED:
            raise CommandError(f"{path}: {job.error} (import #{job.pk})")
        prefix = "Dry run, nothing written: would have" if dry_run else f"Import #{job.pk}:"
        self.stdout.write(
            f"{prefix} {job.processed} rows read from {path}: {job.created_count} candidates created, "
            f"{job.updated_count} updated, {job.unchanged_count} unchanged; {job.failed_count} rows failed."
        )

    def _report(self, error):
        self.stderr.write(str(error))

    def _progress(self, rows):
        """A progress bar on a terminal; nothing when output goes to a file or a pipe."""
        return tqdm(rows, unit=" rows", disable=None, leave=False)
