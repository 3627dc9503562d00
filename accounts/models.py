"""
API keys, stored hashed.

The key, its prefix, the hash (SHA-512: a key has over 190 random bits, so a slow password
hash would add nothing but time on every request), the name, the expiry and revocation come
from djangorestframework-api-key's `AbstractAPIKey`; a key here also belongs to a user, whose
roles it carries, and records when it was last used.
"""

from django.conf import settings
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from recruitos.text import PlainText


class ApiKeyManager(BaseAPIKeyManager):
    """The library's manager (`create_key`, `assign_key`, the key generator)."""


class ApiKey(AbstractAPIKey):
    """
    One of a user's API keys: `<prefix>.<secret>`, shown once when made; afterwards only its
    prefix identifies it. Keys made before keys were hashed are 40 hexadecimal characters
    without a dot; their prefix is their first 8 characters.
    """

    objects = ApiKeyManager()

    # The library's field, with the single-line text rule (no control or bidirectional characters).
    name = models.CharField(
        max_length=50,
        blank=False,
        default=None,
        help_text="A free-form name for the API key. Need not be unique. 50 characters max.",
        validators=[PlainText()],
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    last_used = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Written at most about once a minute."
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"

    def __str__(self) -> str:
        # What the admin's log and messages show: never the key, never a hash.
        return f"{self.name} ({self.prefix}…)"
