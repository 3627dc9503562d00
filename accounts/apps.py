from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in: sessions for people, hashed API keys for programs, and who is signed in."""

    name = "accounts"

    def ready(self):
        from accounts import schema  # noqa: F401 (registers the session's OpenAPI scheme)
