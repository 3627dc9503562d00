"""The session in the OpenAPI description: drf-spectacular's cookie scheme, for our subclass too."""

from drf_spectacular.authentication import SessionScheme


class SameOriginSessionScheme(SessionScheme):
    target_class = "accounts.authentication.SameOriginSessionAuthentication"
