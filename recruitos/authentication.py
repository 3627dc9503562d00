"""
Bearer-key authentication for the API.

Keys are DRF authtoken tokens (`manage.py drf_create_token <username>`), sent as
`Authorization: Bearer <key>`. Every failure (no header, another scheme, a bare
`Bearer`, an unknown key) becomes the same 401 body in `recruitos.exceptions`.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from recruitos.naming import concrete_fields
from recruitos.sql import KeptQuery

# Every request runs this; built and compiled once, not per request (recruitos.sql).
_KEY_USER = KeptQuery(
    lambda key: (
        get_user_model()
        ._default_manager.filter(auth_token__key=key)
        .values_list(*concrete_fields(get_user_model()))[:1]
    )
)


class BearerTokenAuthentication(TokenAuthentication):
    """DRF token authentication under the `Bearer` keyword the contract uses, in one query."""

    keyword = "Bearer"

    def authenticate_credentials(self, key):
        """As DRF's: the key's user, refused when unknown or inactive; its SQL compiled once (recruitos.sql)."""
        model = get_user_model()
        using = model._default_manager.db
        rows = _KEY_USER.rows(key, using=using)
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = model.from_db(using, concrete_fields(model), rows[0])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, self.get_model()(key=key, user=user)
