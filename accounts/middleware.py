"""A signed-in session ends after SESSION_IDLE_MINUTES without a request."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

#: The session's last-seen stamp (seconds) is rewritten, and its expiry pushed back, at most this often.
REFRESH_EVERY_SECONDS = 60
SEEN = "seen"


class SessionIdleMiddleware:
    """
    Sliding expiry: the session's cookie and stored expiry (`SESSION_COOKIE_AGE`, set from
    SESSION_IDLE_MINUTES) are renewed by marking the session changed, at most once a minute, so
    signed-in browsing does not write the session on every request. Requests without a session
    cookie (API keys) do not touch the session at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # A cookie sent, or a session begun by this request (signing in); never loaded otherwise.
        if (settings.SESSION_COOKIE_NAME in request.COOKIES or session.modified) and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(SEEN, 0) >= REFRESH_EVERY_SECONDS:
                session[SEEN] = now
        return response
