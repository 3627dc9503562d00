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

# Background jobs run at once, in the test (a real worker is started by the tests that need one);
# no sweeper thread. A file, not memory, for SQLite's test database: a worker process opens it too.
TASKS = {"default": {**TASKS["default"], "BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "OPTIONS": {}}}  # noqa: F405
JOB_SWEEP_SECONDS = 0
WEBHOOK_SEND_THREADS = 0  # deliveries sent at once, in the job (the worker tests' processes have threads)
MEDIA_ROOT = str(BASE_DIR / ".test-media")  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}  # noqa: F405
