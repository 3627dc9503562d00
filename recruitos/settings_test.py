"""
Settings for the test suite: the base settings with a throwaway key and a fast hasher.

The database still comes from DATABASE_URL, so one suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from recruitos.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Admin pages render without a collectstatic manifest; throttling is tested on its own; the
# test client speaks plain HTTP. None of this depends on a local .env.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True
API_THROTTLE_RATE = "none"
SECURE_SSL_REDIRECT = False
