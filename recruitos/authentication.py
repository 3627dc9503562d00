"""
Bearer-key authentication for the API.

Keys are DRF authtoken tokens (`manage.py drf_create_token <username>`), sent as
`Authorization: Bearer <key>`. Every failure (no header, another scheme, a bare
`Bearer`, an unknown key) becomes the same 401 body in `recruitos.exceptions`.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from recruitos.sqlcache import fetch_rows_matching


class BearerTokenAuthentication(TokenAuthentication):
    """DRF token authentication under the `Bearer` keyword the contract uses."""

    keyword = "Bearer"

    def authenticate_credentials(self, key):
        """As DRF's, but one query for the key's user whose SQL is compiled once (see sqlcache)."""
        model, columns = _user_columns()
        users = model._default_manager.all()
        rows = fetch_rows_matching(users, columns, "auth_token__key", key, 0, 1)
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = model.from_db(users.db, columns, rows[0])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, self.get_model()(key=key, user=user)


@cache
def _user_columns():
    model = get_user_model()
    return model, tuple(field.attname for field in model._meta.concrete_fields)
