"""`manage.py create_api_key USERNAME [--name NAME] [--expires-in DAYS]`: make an API key."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.services import api_key_create
from recruitos.commands import int_between


class Command(BaseCommand):
    """Print a new key for a user; the key is stored only as a hash and cannot be shown again."""

    help = (
        "Make a new API key for USERNAME and print it alone on the last line (store it now: only a "
        "hash is kept). The key acts with the user's roles."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API key", help='what the key is for, e.g. "Zapier" (default: API key)')
        parser.add_argument(
            "--expires-in", type=int_between(1, 36_500), metavar="DAYS", help="the key stops working after DAYS days"
        )

    def handle(self, *args, username, name, expires_in, **options):
        try:
            user = get_user_model()._default_manager.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {username!r}") from None
        expires = timezone.now() + timedelta(days=expires_in) if expires_in else None
        try:
            api_key, key = api_key_create(user=user, name=name, expires=expires)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        until = f", valid until {expires:%Y-%m-%d %H:%M} UTC" if expires else ""
        self.stderr.write(f"Made API key {api_key.prefix} ({api_key.name}) for {username}{until}. Shown only now:")
        self.stdout.write(key)
