"""`manage.py anonymize_candidate ID…`: erase candidates' personal data (GDPR)."""

from django.core.management.base import BaseCommand

from candidates.models import Candidate
from candidates.services import candidate_anonymize
from recruitos.commands import objects_by_id, rolled_back_if


class Command(BaseCommand):
    """Anonymise candidates, keeping their records for the statistics."""

    help = (
        "Erase the personal data of the candidates ID…: name, email, phone, notes, résumé and LinkedIn "
        "URLs, their interviews' notes, and their name in the activity feed. Position, pipeline status, "
        "source and dates stay, so the dashboard's counts do not change. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", type=int, nargs="+", metavar="ID")
        parser.add_argument("--dry-run", action="store_true", help="check the ids, write nothing")

    def handle(self, *args, ids, dry_run, **options):
        candidates = objects_by_id(Candidate, list(dict.fromkeys(ids)))
        with rolled_back_if(dry_run):
            for candidate in candidates:
                candidate_anonymize(instance=candidate)
        verb = "Would anonymize" if dry_run else "Anonymized"
        self.stdout.write(f"{verb} {len(candidates)} candidates.")
