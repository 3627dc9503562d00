"""`manage.py find_interview_conflicts`: list Scheduled interviews that double-book someone."""

from django.core.management.base import BaseCommand, CommandError

from interviews.clashes import overlaps
from interviews.models import Interview


class Command(BaseCommand):
    """Report overlapping Scheduled interviews, one line each; writes nothing."""

    help = (
        "List Scheduled interviews that overlap another for the same interviewer (names compared ignoring "
        "case and spacing) or the same candidate: the ones to move or cancel before the migration that "
        "forbids double booking can run. Exits with status 1 when there are any."
    )

    def handle(self, *args, **options):
        found = 0
        for overlap in overlaps(Interview.objects.all()):
            self.stdout.write(str(overlap))
            found += 1
        if found:
            raise CommandError(f"Found {found} overlapping interviews: move or cancel them.", returncode=1)
        self.stdout.write("Found no overlapping interviews.")
