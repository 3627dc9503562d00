"""Request throttling per API key, counted in the shared cache (Redis when configured)."""

import hashlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


def rate_setting(value: str) -> str | None:
    """A rate setting ("1200/minute"), or None where it says there is none ("", "none", "off")."""
    return None if value.strip().lower() in {"", "none", "off"} else value


class KeyRateThrottle(UserRateThrottle):
    """
    At most API_THROTTLE_RATE requests per key's user ("1200/minute"; "none": unlimited).
    Past it: 429 with a JSON `detail` and `Retry-After`. A throttle is made for each request,
    which reads the rate then, so settings changed at run time (and in tests) take effect.
    """

    scope = "key"

    def get_rate(self):
        return rate_setting(settings.API_THROTTLE_RATE)

    def allow_request(self, request, view):
        if request.user is None or not request.user.is_authenticated:
            return True  # no key, no session: the authentication's 401 answers it
        return super().allow_request(request, view)


class CalendarRateThrottle(SimpleRateThrottle):
    """
    At most CALENDAR_RATE calendars ("60/hour"; "none": unlimited) per user, and per feed address
    for a subscribed calendar, which comes with no key or session (its token, hashed, is the
    count's name): a calendar of 10,000 interviews costs what hundreds of list pages do.
    """

    scope = "calendar"

    def get_rate(self):
        return rate_setting(settings.CALENDAR_RATE)

    def get_cache_key(self, request, view):
        if token := request.query_params.get("token"):
            ident = "feed:" + hashlib.sha256(token.encode()).hexdigest()
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            return None  # the authentication's 401 answers it
        return self.cache_format % {"scope": self.scope, "ident": ident}
