"""`manage.py create_demo_user`: a superuser with an API key, for trying the API locally."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    """Create (or restore) the demo superuser and print its API key; running it again changes nothing."""

    help = (
        "Create the superuser USERNAME (default: demo) if it does not exist, give it an API key "
        "if it has none, and print the key. Set its admin password with `manage.py changepassword`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo", help="the user's name (default: demo)")

    def handle(self, *args, username, **options):
        user, created = get_user_model().objects.update_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True, "is_active": True}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        token, _ = Token.objects.get_or_create(user=user)
        verb = "Created" if created else "Found"
        self.stdout.write(f"{verb} user {username!r}. API key: {token.key}")
        self.stdout.write(f'Try: curl -H "Authorization: Bearer {token.key}" http://127.0.0.1:8000/api/candidates')
