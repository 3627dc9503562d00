"""
Settings for the RecruitOS backend, driven by environment variables.

Every variable the project reads is listed in the README's table. Defaults suit a
newcomer's machine: SQLite in the project folder, DEBUG off unless asked for.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local `.env` (written by `make` on a developer's machine) fills in what the real
# environment leaves unset; the real environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "reports",  # before the admin: its index template adds the Reports link
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_api_key",
    "axes",
    "django_filters",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "candidates",
    "interviews",
    "dashboard",
    "accounts",
    "history",
    "django_tasks",
    "django_rq",
    "jobs",
    "imports",
    "webhooks",
]

MIDDLEWARE = [
    "recruitos.middleware.RequestLogMiddleware",
    "recruitos.middleware.DatabaseConnectionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionIdleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Query parameter names arrive in camelCase (?candidateId=) and reach filters in snake_case.
    "djangorestframework_camel_case.middleware.CamelCaseMiddleWare",
    # Last, as django-axes requires: turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "recruitos.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "recruitos.wsgi.application"

# An empty DATABASE_URL means unset: the embedded SQLite database in the project folder.
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept PostgreSQL connection the server has ended is dropped before a request uses it, by
# asking its socket rather than the server (recruitos.middleware.DatabaseConnectionMiddleware).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the database is unreachable instead of hanging a worker; gunicorn.conf.py
    # also bounds each statement (DB_STATEMENT_TIMEOUT_MS) for web requests, not for migrations.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=5)
    if statement_timeout := env.int("DB_STATEMENT_TIMEOUT_MS", default=0):
        options["options"] = f"-c statement_timeout={statement_timeout}"
    # Statements are bound by the server and prepared once a connection has run the same one
    # DB_PREPARE_THRESHOLD times (psycopg's prepared statements, Django's server_side_binding).
    # DB_PREPARED_STATEMENTS=0 for a pooler in transaction mode that cannot keep them
    # (PgBouncer before 1.21); off too when connections are not reused (CONN_MAX_AGE=0).
    if env.bool("DB_PREPARED_STATEMENTS", default=True) and DATABASES["default"]["CONN_MAX_AGE"] != 0:
        options["server_side_binding"] = True
        options["prepare_threshold"] = env.int("DB_PREPARE_THRESHOLD", default=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside a writer; IMMEDIATE transactions take the write lock
    # up front, so concurrent writers wait (up to the timeout) instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# PostgreSQL's work_mem in the pipeline report's transaction (reports.selectors): its percentiles
# sort each stage's times, in memory when they fit.
REPORT_WORK_MEM = env.str("REPORT_WORK_MEM", default="64MB")

# The admin's one-time messages (which name candidates, and show a new API key once) travel in
# a signed cookie only, never in the session table.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Signing in (accounts): django-axes first, to refuse locked-out sign-ins before a password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = env.str("LOGIN_REDIRECT_URL", default="/")
LOGOUT_REDIRECT_URL = LOGIN_URL
# A signed-in session ends after this long without a request (refreshed at most once a minute,
# accounts.middleware.SessionIdleMiddleware). Cookies: HttpOnly, SameSite=Lax, Secure with HTTPS.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=480)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Repeated failed sign-ins lock that username from that address (django-axes), 429 and a page saying so.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Log lines name the username and address of a failed sign-in (never the password), nothing else.
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = []

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
# An interviewer's working day in TIME_ZONE, for `GET /api/interviews/availability`: HH:MM-HH:MM.
WORKING_HOURS = env.str("WORKING_HOURS", default="09:00-17:00")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files served by WhiteNoise; `collectstatic` runs before serving.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# In development WhiteNoise serves straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG

# Cache: Redis when REDIS_URL is set (shared by every app server: throttling counts per key
# across them), else this process's memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from the shared cache, written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Not cached: a per-process cache would keep a signed-out session alive in other workers.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background jobs (imports, webhook deliveries), written with django-tasks. With REDIS_URL they go to
# RQ queues on that Redis and `make worker` runs them; without, threads of the web process run them.
TASK_QUEUES = ["default", "imports", "webhooks"]
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
    RQ_QUEUES = {
        "default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600},
        # An import of millions of rows runs for many minutes; a delivery job, seconds.
        "imports": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 6 * 3600},
        "webhooks": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600},
    }
else:
    TASKS = {"default": {"BACKEND": "jobs.backends.ThreadBackend", "QUEUES": TASK_QUEUES, "OPTIONS": {"THREADS": 2}}}
    RQ_QUEUES = {}
RQ_SHOW_ADMIN_LINK = False  # django-rq's own dashboard is not served
# How often workers (and, without a queue, web processes) queue again due and abandoned work.
JOB_SWEEP_SECONDS = env.float("JOB_SWEEP_SECONDS", default=5)
JOB_SWEEPS = ["imports.tasks.sweep", "webhooks.tasks.sweep"]
# A runner holds its work (an import, a batch of deliveries) by a lease this long, renewed by a
# heartbeat every quarter of it while it runs; a runner silent for this long is taken to be dead,
# and its work is given to another (recruitos.leases).
JOB_LEASE_SECONDS = env.float("JOB_LEASE_SECONDS", default=60)
# Files waiting for an import job. Several worker machines need this on shared storage (or an S3
# STORAGES["default"]); each file is deleted when its import ends.
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# The largest file `POST /api/imports` and the admin's import page take.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=1024 * 1_048_576)
# What an import file's shape may be (imports.limits): columns of a CSV, characters in one of its
# lines (or one JSON value), levels of JSON nesting. A file past one is refused, naming it.
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=100)
IMPORT_MAX_LINE_LENGTH = env.int("IMPORT_MAX_LINE_LENGTH", default=1_048_576)
IMPORT_MAX_JSON_DEPTH = env.int("IMPORT_MAX_JSON_DEPTH", default=32)
# A file of more than one batch has its rows checked ahead, in a helper process, while the job
# writes (imports.checking): the second core validates. Off: every row is checked in the job's process.
IMPORT_CHECK_AHEAD = env.bool("IMPORT_CHECK_AHEAD", default=True)

# Webhooks (webhooks app). Subscriptions may name only https URLs on public addresses, unless
# WEBHOOK_ALLOW_PRIVATE_NETWORKS=1 (development and tests only: internal addresses and plain http).
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env.bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=False)
# The ports webhooks may go to (comma-separated); any, with WEBHOOK_ALLOW_PRIVATE_NETWORKS.
WEBHOOK_ALLOWED_PORTS = [int(port) for port in env.list("WEBHOOK_ALLOWED_PORTS", default=["443"])]
# Each attempt's deadline for the whole exchange (connect, send, the answer's status and a short
# excerpt of it): a receiver that trickles is cut off there.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5)
# Threads per process that send deliveries, a subscription at a time each, subscriptions in turns.
WEBHOOK_SEND_THREADS = env.int("WEBHOOK_SEND_THREADS", default=8)
# Each process keeps the active subscriptions and hears of changes through PostgreSQL's LISTEN/NOTIFY;
# 0 reads them on every write instead (behind a pooler in transaction mode, which cannot keep a LISTEN).
WEBHOOK_LISTEN = env.bool("WEBHOOK_LISTEN", default=True)
# Seconds before each retry of a failed delivery, with ±20% jitter: 11 attempts over about 23.6 hours.
WEBHOOK_RETRY_WAITS = [
    int(wait)
    for wait in env.list("WEBHOOK_RETRY_WAITS", default=[5, 30, 120, 300, 1800, 3600, 7200, 14400, 28800, 28800])
]
# A subscription whose attempts have all failed for this long, this many in a row at least, is turned off.
WEBHOOK_DISABLE_AFTER_HOURS = env.float("WEBHOOK_DISABLE_AFTER_HOURS", default=24)
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=10)

# The largest JSON body the API reads; larger ones get 413.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1_048_576)
# The largest file the admin's import page takes (and any other body outside the API); larger: refused.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=50 * 1_048_576)
FILE_UPLOAD_HANDLERS = [
    "recruitos.uploads.UploadCap",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Requests per key, e.g. "1200/minute"; "none" turns throttling off.
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="1200/minute")
# Calendars (`/api/interviews.ics`, a feed's address) per user or feed address.
CALENDAR_RATE = env.str("CALENDAR_RATE", default="60/hour")
# Wrong API keys per client address; past it each further wrong key from there is a 429 until the window ends.
API_KEY_FAILURE_RATE = env.str("API_KEY_FAILURE_RATE", default="20/minute")

# Cross-origin use by the frontend: only the listed origins, e.g. https://app.example.com.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_EXPOSE_HEADERS = ["X-Total-Count", "Retry-After"]
# The frontend's requests carry the session (`credentials: "include"`): a listed origin's reads
# it may see only with this. Nothing is sent to an origin not listed, and none is by default.
CORS_ALLOW_CREDENTIALS = True

# HTTPS: on by default whenever DEBUG is off; HTTPS=0 for a plain-HTTP local run, and each
# setting can be switched on its own.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^api/health/?$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "recruitos.exceptions.csrf_failure"
if env.bool("BEHIND_PROXY", default=False):
    # The proxy terminates TLS and says so in X-Forwarded-Proto, and appends the client's
    # address to X-Forwarded-For: the right-most entry is the one the proxy wrote.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_PROXY_ORDER = "right-most"
else:
    # Without a proxy a client could write X-Forwarded-For itself: only the socket's address counts.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    # A key, when sent, decides; else a signed-in session (accounts.authentication).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiKeyAuthentication",
        "accounts.authentication.SameOriginSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["recruitos.permissions.ModelPermissions"],
    "DEFAULT_RENDERER_CLASSES": ["recruitos.renderers.CamelCaseORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["recruitos.parsers.CamelCaseJSONObjectParser"],
    "DEFAULT_FILTER_BACKENDS": ["recruitos.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "recruitos.pagination.StrictLimitOffsetPagination",
    "EXCEPTION_HANDLER": "recruitos.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["recruitos.throttling.KeyRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "recruitos.schema.ContractAutoSchema",
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "RecruitOS API",
    "DESCRIPTION": "Candidates, interviews and the dashboard of RecruitOS. Every endpoint but the "
    "health check and these documents needs `Authorization: Bearer <key>`.",
    "VERSION": "1.0.0",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SERVE_INCLUDE_SCHEMA": False,
    "CAMELIZE_NAMES": True,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CandidateStatus": "candidates.models.Status",
        "InterviewStatus": "interviews.models.InterviewStatus",
        "SyncStatus": "dashboard.models.SyncStatus",
        "HealthState": "recruitos.views.HealthState",
    },
    "PREPROCESSING_HOOKS": ["recruitos.schema.contract_paths"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Logs go to standard output: JSON lines by default when DEBUG is off (LOG_FORMAT=plain for
# people reading a terminal). Request lines carry method, path, status and duration, never
# headers, so no key reaches a log.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"()": "recruitos.logs.PlainFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "filters": {"redact": {"()": "recruitos.logs.RedactRequests"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Replaces Django's own console handler, which would print every request warning twice.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # 4xx responses are in the request lines already; 5xx still log here, with traceback.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # runserver's request lines (`make run`), without their query strings (recruitos.logs).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Webhook attempts keep their own outcome; urllib3's warnings name the receiver's URL, query string and all.
        "urllib3": {"level": "ERROR"},
    },
}
