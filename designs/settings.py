"""Settings for the advisor's web app, read from the environment.

With nothing set, it runs for development: DEBUG on, SQLite in the project directory, Celery tasks
run in-process. The production variables are listed in the README and in `.env.example`.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from advisor.requirements.fields import (
    EDITOR_MAX_ACCESS_PATTERNS,
    EDITOR_MAX_ATTRIBUTES,
    EDITOR_MAX_ENTITIES,
    EDITOR_MAX_RELATIONSHIPS,
    MAX_DOCUMENT_BYTES,
    fields_of,
)
from designs.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "designs",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "ninja",  # the API's docs page (/api/docs) serves its own Swagger UI files, not a CDN's
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in attempts for an account and address after AXES_FAILURE_LIMIT.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: 5 failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)

# Content-Security-Policy: scripts only from this site's files (htmx and the page scripts are
# static files, with no inline script or handler); inline style attributes are allowed (the
# alternatives' bars), as are images drawn here (the ERD as SVG or PNG, also as data: URLs).
CONTENT_SECURITY_POLICY = {
    # The API's browsable docs (django-ninja's Swagger UI page) start with an inline script.
    "EXCLUDE_URL_PREFIXES": ["/api/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "designs.urls"
WSGI_APPLICATION = "designs.wsgi.application"
ASGI_APPLICATION = "designs.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

SQLITE_PATH = BASE_DIR / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a Celery worker process in the tests sees the same test data.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A transaction takes the write lock as it begins, and a writer waits for another's: a
    # deferred one that read before another connection wrote (a job's heartbeat) could not
    # write at all ("database is locked").
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "project_list"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# The requirements editor posts one input per field of every row: a document at the editor's
# limits (docs/requirements.md, Limits) must fit, or the live panel and Save answer 400. The
# top level, workload and team, and the buttons, note and tokens fill the margin of 100.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 100 + sum(
    rows * len(fields_of(parent))
    for parent, rows in {
        "": 1,
        "workload": 1,
        "team": 1,
        "entities[]": EDITOR_MAX_ENTITIES,
        "entities[].attributes[]": EDITOR_MAX_ATTRIBUTES,
        "relationships[]": EDITOR_MAX_RELATIONSHIPS,
        "access_patterns[]": EDITOR_MAX_ACCESS_PATTERNS,
    }.items()
)

# A requirements document may be posted whole (the API, a pasted document): the body may hold
# one at the format's size limit, and the views answer a larger one with that limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_DOCUMENT_BYTES + 1024 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Celery: without a broker, tasks run in-process, so the app works with nothing else running.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or CELERY_BROKER_URL or None
# A task is acknowledged when it ends, and put back when its worker dies: a job row runs at
# most once whatever is delivered (docs/jobs.md).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", default=300)
# The soft limit stops the job with its reason; the hard one ends a task that ignores it.
CELERY_TASK_SOFT_TIME_LIMIT = env_int(
    "CELERY_TASK_SOFT_TIME_LIMIT",
    default=CELERY_TASK_TIME_LIMIT - max(1, CELERY_TASK_TIME_LIMIT // 10),
)
if not 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be below CELERY_TASK_TIME_LIMIT.")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With the broker down, starting a job gives up within about a second (the page says "try
# again") instead of retrying for twenty; a job's outcome is on its row, never awaited here.
# socket_timeout bounds each read, as of a broker that accepts the connection and never answers
# (redis-py's own default is 5 s). The worker reads only once its socket is ready, so its
# one-second blocking pops are not cut short.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

# A running job's worker beats every ADVISOR_JOB_HEARTBEAT_S; a job silent for
# ADVISOR_JOB_STALE_AFTER_S lost its worker, and one no worker started within
# ADVISOR_JOB_QUEUE_TIMEOUT_S was lost with its queue: either is failed when next read.
ADVISOR_JOB_HEARTBEAT_S = env_int("ADVISOR_JOB_HEARTBEAT_S", default=5)
ADVISOR_JOB_STALE_AFTER_S = env_int("ADVISOR_JOB_STALE_AFTER_S", default=30)
ADVISOR_JOB_QUEUE_TIMEOUT_S = env_int("ADVISOR_JOB_QUEUE_TIMEOUT_S", default=600)
if ADVISOR_JOB_STALE_AFTER_S < 2 * ADVISOR_JOB_HEARTBEAT_S:
    raise ImproperlyConfigured("ADVISOR_JOB_STALE_AFTER_S must be at least twice the heartbeat.")

# The load bench (tests/bench/load_bench.py) turns this on to route a view that does nothing,
# the ceiling its pages are compared with. Off everywhere else.
ADVISOR_BENCH = env_bool("ADVISOR_BENCH", default=False)

# "Import a schema" may read a live PostgreSQL database only when this is on: a server that
# connects wherever a user asks lets anyone probe its network (docs/live-import.md).
ADVISOR_ALLOW_DB_INTROSPECTION = env_bool("ADVISOR_ALLOW_DB_INTROSPECTION", default=False)

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
