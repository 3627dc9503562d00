"""`manage.py purge_candidates --older-than DAYS`: delete candidates past the retention period."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from candidates.models import Candidate, Status
from candidates.services import candidates_purge
from recruitos.choices import canonical_choice
from recruitos.commands import int_between


class Command(BaseCommand):
    """Delete candidates untouched for DAYS days, optionally only in some statuses."""

    help = (
        "Delete the candidates whose lastUpdated is more than DAYS days ago (retention), with their "
        "interviews and their names in the activity feed; --status (repeatable) limits it to those "
        "statuses, e.g. --status Rejected. Deletes in batches; one feed entry records the count."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int_between(1, 36_500), required=True, metavar="DAYS", help="at least 1"
        )
        parser.add_argument("--status", action="append", default=[], help="only candidates in this status")
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, older_than, status, dry_run, **options):
        statuses = [canonical_choice(value, Status.choices) for value in status]
        unknown = [value for value in statuses if value not in Status.values]
        if unknown:
            raise CommandError(f"--status: unknown status {', '.join(unknown)}; one of {', '.join(Status.values)}")
        cutoff = timezone.now() - datetime.timedelta(days=older_than)
        queryset = Candidate.objects.filter(last_updated__lt=cutoff)
        if statuses:
            queryset = queryset.filter(status__in=statuses)
        if dry_run:
            self.stdout.write(f"Would delete {queryset.count()} candidates last updated before {cutoff:%Y-%m-%d}.")
            return
        purged = candidates_purge(queryset=queryset)
        self.stdout.write(f"Deleted {purged} candidates last updated before {cutoff:%Y-%m-%d}.")
