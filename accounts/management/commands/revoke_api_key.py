"""`manage.py revoke_api_key PREFIX`: stop an API key at once."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import ApiKey
from accounts.services import api_key_revoke


class Command(BaseCommand):
    """Revoke the key with this prefix (the part before the dot, as the admin lists it)."""

    help = "Revoke the API key whose prefix is PREFIX (its first 8 characters); it stops working at once."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix, **options):
        prefix = prefix.partition(".")[0][:8]
        try:
            api_key = ApiKey.objects.select_related("user").get(prefix=prefix)
        except ApiKey.DoesNotExist:
            raise CommandError(f"no API key with prefix {prefix!r}") from None
        described = f"API key {prefix} ({api_key.name}) of {api_key.user.get_username()}"
        if api_key.revoked:
            self.stdout.write(f"{described} was already revoked.")
            return
        api_key_revoke(instance=api_key)
        self.stdout.write(f"Revoked {described}.")
