"""`manage.py find_duplicate_candidates`: list candidates that look like the same person."""

from django.core.management.base import BaseCommand

from candidates.selectors import find_duplicate_groups


class Command(BaseCommand):
    """Report groups of likely duplicates, with the merge command for each; writes nothing."""

    help = (
        "List groups of candidates that share a normalised email (case and +tags ignored), the last "
        "ten digits of a phone number, or a LinkedIn profile URL, each with a merge_candidates command "
        "that keeps the oldest record."
    )

    def handle(self, *args, **options):
        groups = find_duplicate_groups()
        for group in groups:
            ids = " ".join(str(pk) for pk in group.ids)
            self.stdout.write(f"{group.reason} {group.key}: {ids}    (merge_candidates {ids})")
        self.stdout.write(f"Found {len(groups)} groups of possible duplicates.")
