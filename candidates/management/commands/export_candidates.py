"""`manage.py export_candidates`: write candidates as CSV, filtered as the API filters them."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from candidates.exports import csv_lines
from candidates.filtersets import CandidateFilterSet
from candidates.models import Candidate


class Command(BaseCommand):
    """Stream candidates to a CSV file (or standard output) that import_candidates reads back."""

    help = (
        "Write candidates as CSV with the API's field names as columns, newest applied first, "
        "to PATH or standard output. --phase, --status, --source and --search filter as the API's "
        "query parameters do. Importing the file into an empty database reproduces the candidates."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", metavar="PATH", help="the file to write (default: standard output)")
        parser.add_argument("--phase", help="1 or 2")
        parser.add_argument("--status", help="a pipeline status, e.g. 'Phone Interview'")
        parser.add_argument("--source", help="LinkedIn, Indeed, Referral or Website")
        parser.add_argument("--search", help="text in the name, email or position")

    def handle(self, *args, output, **options):
        queryset = self._filtered(options)
        if output is None:
            try:
                written = self._write(self.stdout, queryset)
            except BrokenPipeError:  # The reader (`| head`) has seen enough.
                os.dup2(os.open(os.devnull, os.O_WRONLY), self.stdout.fileno())
                return
            self.stderr.write(f"Exported {written} candidates.")
            return
        try:
            with Path(output).open("w", newline="", encoding="utf-8") as file:
                written = self._write(file, queryset, progress=True)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(f"Exported {written} candidates to {output}.")

    @staticmethod
    def _filtered(options):
        data = {name: options[name] for name in ("phase", "status", "source", "search") if options[name] is not None}
        filterset = CandidateFilterSet(data=data, queryset=Candidate.objects.order_by("-applied_date", "-id"))
        if not filterset.is_valid():
            problems = "; ".join(f"--{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
            raise CommandError(problems)
        return filterset.qs

    @staticmethod
    def _write(file, queryset, progress=False) -> int:
        lines = csv_lines(queryset)
        file.write(next(lines))
        written = 0
        for line in tqdm(lines, unit=" rows", disable=None if progress else True, leave=False):
            file.write(line)
            written += 1
        return written
