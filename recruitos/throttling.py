"""Request throttling per API key, counted in the shared cache (Redis when configured)."""

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class KeyRateThrottle(UserRateThrottle):
    """
    At most API_THROTTLE_RATE requests per key's user ("1200/minute"; "none": unlimited).
    Past it: 429 with a JSON `detail` and `Retry-After`. The rate is read per request, so
    settings changed at run time (and in tests) take effect.
    """

    scope = "key"

    def __init__(self):
        pass  # The rate is read in allow_request, not at construction.

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        if self.rate is None or request.user is None or not request.user.is_authenticated:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self):
        rate = settings.API_THROTTLE_RATE
        return None if rate.strip().lower() in {"", "none", "off"} else rate
