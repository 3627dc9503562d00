"""
How the API knows who is asking: an API key, or a signed-in browser session.

1. `Authorization: Bearer <key>` (`ApiKeyAuthentication`): when sent, the key alone decides;
   an unknown, revoked or expired key, or one whose user is inactive, is a 401.
2. Otherwise the session of someone signed in at /accounts/login/
   (`SameOriginSessionAuthentication`). A write (POST, PUT, PATCH, DELETE) with a session is
   accepted only from a page of this origin, as the browser reports it: the Fetch-Metadata
   defence (OWASP's CSRF cheat sheet; Go's `http.CrossOriginProtection`), because the
   RecruitOS frontend sends no CSRF token.
Neither: 401 with `WWW-Authenticate: Bearer` (the first class decides that header).
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from ipware import get_client_ip
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiKey
from recruitos.naming import concrete_fields
from recruitos.sql import KeptQuery
from recruitos.throttling import rate_setting

#: A key's last use is written when the stored one is older than this, not on every request.
LAST_USED_EVERY = timedelta(minutes=1)
#: Keys made before keys were hashed have no dot; their first characters are their prefix.
LEGACY_PREFIX_LENGTH = 8
#: Methods that change nothing; every other method is a write.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CROSS_ORIGIN_REFUSED = (
    "Cross-origin request refused: a signed-in session may only write from a page of this site. "
    "Programs send an API key instead."
)


def key_prefix(key: str) -> str:
    """The prefix that finds a key's row: before the dot, or the first 8 characters of an old key."""
    prefix, dot, _ = key.partition(".")
    return prefix if dot else key[:LEGACY_PREFIX_LENGTH]


def _user_columns() -> tuple[str, ...]:
    return tuple(f"user__{name}" for name in concrete_fields(get_user_model()))


_KEY_COLUMNS = ("id", "hashed_key", "revoked", "expiry_date", "last_used")

# Every request runs this: built and compiled once, not per request (recruitos.sql).
_KEY_AND_USER = KeptQuery(
    lambda prefix: ApiKey.objects.filter(prefix=prefix).values_list(*_KEY_COLUMNS, *_user_columns())[:1]
)


def client_address(request) -> str:
    """The client's address: the socket's, or behind a proxy (BEHIND_PROXY) the one it appended."""
    address, _ = get_client_ip(
        request,
        proxy_order=getattr(settings, "AXES_IPWARE_PROXY_ORDER", "left-most"),
        proxy_count=getattr(settings, "AXES_IPWARE_PROXY_COUNT", None),
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return address or "unknown"


class WrongKeyRate(SimpleRateThrottle):
    """API_KEY_FAILURE_RATE, parsed by DRF ("20/minute"); only its rate is used, the counting is WrongKeyLimit's."""

    def get_rate(self):
        return rate_setting(settings.API_KEY_FAILURE_RATE)


class WrongKeyLimit:
    """
    Wrong keys per client address, counted in the shared cache: past API_KEY_FAILURE_RATE
    ("20/minute"), each further wrong key from that address is answered 429 until the window
    ends. Only failing attempts are counted and refused: a request with a right key, a session,
    or another kind of `Authorization` (a staging site's Basic) is never refused for the wrong
    keys others sent from its address (behind an unconfigured proxy, every client's).
    """

    def rate(self) -> tuple[int, int] | None:
        """(wrong keys, per seconds) of API_KEY_FAILURE_RATE, read as DRF reads a throttle's rate; None: no limit."""
        parsed = WrongKeyRate()
        return None if parsed.rate is None else (parsed.num_requests, parsed.duration)

    def failed(self, request) -> float | None:
        """Count a wrong key from the request's address; seconds to wait when it is past the limit, else None."""
        rate = self.rate()
        if rate is None:
            return None
        limit, duration = rate
        window = int(time.time() // duration)
        key, ends = f"wrong-keys:{client_address(request)}:{window}", (window + 1) * duration
        cache.add(key, 0, timeout=duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=duration + 1)
            count = 1
        return ends - time.time() if count > limit else None


wrong_keys = WrongKeyLimit()


class ApiKeyAuthentication(TokenAuthentication):
    """
    `Authorization: Bearer <key>`, checked against the stored hash in one query that also
    reads the key's user. `request.auth` is the key's prefix. Wrong keys are counted per client
    address (`WrongKeyLimit`).
    """

    keyword = "Bearer"

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            if (wait := wrong_keys.failed(request)) is not None:
                raise exceptions.Throttled(wait=wait) from None
            raise

    def authenticate_credentials(self, key):
        model = get_user_model()
        using = ApiKey.objects.db
        rows = _KEY_AND_USER.rows(key_prefix(key), using=using)
        if not rows:
            raise exceptions.AuthenticationFailed("Invalid token.")
        pk, hashed_key, revoked, expires, last_used = rows[0][: len(_KEY_COLUMNS)]
        now = timezone.now()
        if revoked or not ApiKey.objects.key_generator.verify(key, hashed_key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        if expires is not None and expires <= now:
            raise exceptions.AuthenticationFailed("Token expired.")
        user = model.from_db(model._default_manager.db, concrete_fields(model), rows[0][len(_KEY_COLUMNS) :])
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        if last_used is None or now - last_used >= LAST_USED_EVERY:
            # Conditional, so requests racing in the same minute write it once.
            stale = Q(last_used__isnull=True) | Q(last_used__lt=now - LAST_USED_EVERY)
            ApiKey.objects.filter(stale, pk=pk).update(last_used=now)
        return user, key_prefix(key)


def is_same_origin_write(request) -> bool:
    """
    Whether a browser's write comes from a page this site trusts: `Origin` is one of
    `CORS_ALLOWED_ORIGINS` (a frontend served elsewhere on purpose), or the browser says
    `Sec-Fetch-Site: same-origin`, or, from a browser that does not send Fetch Metadata,
    `Origin` is this request's own origin. Anything else (another site, another port of this
    host, no header at all) is not.
    """
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None and origin in settings.CORS_ALLOWED_ORIGINS:
        return True
    site = request.META.get("HTTP_SEC_FETCH_SITE")
    if site is not None:
        return site == "same-origin"
    return origin is not None and origin == f"{request.scheme}://{request.get_host()}"


class SameOriginSessionAuthentication(SessionAuthentication):
    """DRF's session authentication, with Fetch Metadata instead of Django's CSRF token."""

    def enforce_csrf(self, request):
        if request.method not in SAFE_METHODS and not is_same_origin_write(request):
            raise exceptions.PermissionDenied(CROSS_ORIGIN_REFUSED)
