"""
Settings for the test suite: the base settings with a throwaway key and a fast hasher.

The database still comes from DATABASE_URL, so one suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from recruitos.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
