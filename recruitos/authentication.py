"""
Bearer-key authentication for the API.

Keys are DRF authtoken tokens (`manage.py drf_create_token <username>`), sent as
`Authorization: Bearer <key>`. Every failure (no header, another scheme, a bare
`Bearer`, an unknown key) becomes the same 401 body in `recruitos.exceptions`.
"""

from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """DRF token authentication under the `Bearer` keyword the contract uses."""

    keyword = "Bearer"
