"""`manage.py create_demo_user`: a superuser with a password and an API key, for trying RecruitOS locally."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts.models import ApiKey
from accounts.services import api_key_create, api_key_revoke

KEY_NAME = "demo key (create_demo_user)"


class Command(BaseCommand):
    """Create (or restore) the demo superuser, give it a new API key and print how to use both."""

    help = (
        "Create the superuser USERNAME (default: demo) if it does not exist, or restore its rights. A new "
        "user (or one without a usable password) gets a random password, printed once. Every run makes a "
        "new API key, prints it, and revokes the keys earlier runs made (keys are stored hashed, so an "
        "earlier one cannot be printed again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo", help="the user's name (default: demo)")
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="where the server listens, for the printed hints"
        )

    def handle(self, *args, username, url, **options):
        url = url.rstrip("/")
        user, created = get_user_model().objects.update_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True, "is_active": True}
        )
        password = None
        if created or not user.has_usable_password():
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
        for earlier in ApiKey.objects.filter(user=user, name=KEY_NAME, revoked=False):
            api_key_revoke(instance=earlier)
        _, key = api_key_create(user=user, name=KEY_NAME)

        verb = "Created" if created else "Found"
        self.stdout.write(f"{verb} superuser {username!r}.")
        if password:
            self.stdout.write(f"Password: {password}  (shown once; sign in at {url}/accounts/login/ or {url}/admin/)")
        else:
            self.stdout.write(
                f"Password: unchanged (sign in at {url}/admin/; `manage.py changepassword {username}` sets a new one)"
            )
        self.stdout.write(f"API key: {key}")
        self.stdout.write(f'Try: curl -H "Authorization: Bearer {key}" {url}/api/candidates')
