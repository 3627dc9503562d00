"""Making and revoking API keys: one implementation for the admin and the commands."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import ApiKey
from recruitos.text import PlainText

NAME_MAX_LENGTH = ApiKey._meta.get_field("name").max_length


@transaction.atomic
def api_key_create(*, user, name: str, expires: datetime | None = None) -> tuple[ApiKey, str]:
    """A new key for `user`: the stored row, and the key itself, which is not stored and cannot be seen again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A key needs a name, e.g. the program that will use it."})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"At most {NAME_MAX_LENGTH} characters."})
    try:
        PlainText()(name)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from exc
    return ApiKey.objects.create_key(user=user, name=name, expiry_date=expires)


@transaction.atomic
def api_key_revoke(*, instance: ApiKey) -> ApiKey:
    """Stop the key at once; revoking cannot be undone (a new key is made instead)."""
    if not instance.revoked:
        instance.revoked = True
        instance.save(update_fields=["revoked"])
    return instance
