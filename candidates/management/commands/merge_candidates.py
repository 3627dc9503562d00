"""`manage.py merge_candidates KEEP_ID DUPLICATE_ID…`: fold duplicate records into one."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from candidates.models import Candidate
from candidates.services import candidate_merge
from recruitos.commands import objects_by_id, rolled_back_if


class Command(BaseCommand):
    """Merge duplicates into the kept candidate, in one transaction."""

    help = (
        "Merge the candidates DUPLICATE_ID… into KEEP_ID: their interviews and activity move to it, its "
        "empty fields (phone, skills, experience, notes, résumé and LinkedIn URLs) are filled from them, "
        "and they are deleted. All or nothing: refused when their Scheduled interviews overlap."
    )

    def add_arguments(self, parser):
        parser.add_argument("keep", type=int, metavar="KEEP_ID")
        parser.add_argument("duplicates", type=int, nargs="+", metavar="DUPLICATE_ID")
        parser.add_argument("--dry-run", action="store_true", help="show the result, write nothing")

    def handle(self, *args, keep, duplicates, dry_run, **options):
        if keep in duplicates:
            raise CommandError("KEEP_ID cannot also be a duplicate")
        kept, *others = objects_by_id(Candidate, [keep, *dict.fromkeys(duplicates)])
        try:
            with rolled_back_if(dry_run):
                merged = candidate_merge(keep=kept, duplicates=others, actor=None)
                interviews = merged.interviews.count()
        except ValidationError as error:
            raise CommandError(f"not merged: {' '.join(error.messages)}") from error
        verb = "Would merge" if dry_run else "Merged"
        self.stdout.write(
            f"{verb} {len(others)} duplicates into candidate {merged.pk} ({merged.full_name}), "
            f"who has {interviews} interviews."
        )
