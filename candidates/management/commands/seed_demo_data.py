"""`manage.py seed_demo_data`: realistic, deterministic candidates and interviews."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from candidates.demo import seed_demo_data
from candidates.models import Candidate
from recruitos.commands import int_between, rolled_back_if


class Command(BaseCommand):
    """Fill the database with demo data, fast (bulk inserts), the same for the same seed."""

    help = (
        "Add N realistic candidates (names, positions, the frontend's pipeline statuses, sources), each "
        "with K interviews spread over the 45 days before and 15 days after today, and an 'applied' "
        "entry in the activity feed. The same --seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int_between(0, 10_000_000), default=50, metavar="N", help="default 50")
        parser.add_argument(
            "--interviews-per-candidate", type=int_between(0, 100), default=2, metavar="K", help="default 2"
        )
        parser.add_argument("--seed", type=int, default=7, metavar="S", help="random seed (default 7)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if there are candidates already")
        parser.add_argument("--dry-run", action="store_true", help="generate and insert, then roll back")

    def handle(self, *args, candidates, interviews_per_candidate, seed, if_empty, dry_run, **options):
        if if_empty and Candidate.objects.exists():
            self.stdout.write("There are candidates already; seeded nothing.")
            return
        batches = seed_demo_data(candidates=candidates, interviews_per_candidate=interviews_per_candidate, seed=seed)
        written = 0
        with rolled_back_if(dry_run), tqdm(total=candidates, unit=" candidates", disable=None, leave=False) as bar:
            for count in batches:
                written += count
                bar.update(count)
        verb = "Dry run, rolled back: would have seeded" if dry_run else "Seeded"
        self.stdout.write(
            f"{verb} {written} candidates and {written * interviews_per_candidate} interviews (seed {seed})."
        )
