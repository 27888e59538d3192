"""Settings for the new-media registry and dashboard.

Everything that differs between a laptop and production is read from the
environment (see ``.env.example``); ``config.env`` raises ``ImproperlyConfigured``
naming the variable when a value is unusable.
"""

import datetime
import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import (
    database_from_url,
    email_from_env,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    looks_like_placeholder,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")
# Commands that only inspect the code (no requests served, nothing signed) run
# in a bare checkout without production variables, e.g. `manage.py check`.
_CODE_ONLY_COMMANDS = {"check", "makemigrations", "showmigrations", "sqlmigrate", "help"}
CODE_ONLY_COMMAND = (
    Path(sys.argv[0]).name == "manage.py"
    and len(sys.argv) > 1
    and sys.argv[1] in _CODE_ONLY_COMMANDS
    and "--deploy" not in sys.argv
    and "DEBUG" not in os.environ
)
# Recovering admin access on a local checkout (a SQLite database, no DEBUG):
# these commands hash a password, which needs no secret, so they run without
# production variables. Against PostgreSQL (production) they need them all.
_LOCAL_ACCOUNT_COMMANDS = {"changepassword", "createsuperuser"}
LOCAL_ACCOUNT_COMMAND = (
    Path(sys.argv[0]).name == "manage.py"
    and len(sys.argv) > 1
    and sys.argv[1] in _LOCAL_ACCOUNT_COMMANDS
    and "DEBUG" not in os.environ
    and (env_str("DATABASE_URL") or "sqlite:").lower().startswith("sqlite:")
)

# Used only when DEBUG is on or under the test runner; production refuses it.
_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105  # nosec B105
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if DEBUG or TESTING or CODE_ONLY_COMMAND or LOCAL_ACCOUNT_COMMAND:
        SECRET_KEY = _DEV_SECRET
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is false. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
elif not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
    or SECRET_KEY == _DEV_SECRET
):
    # The same bar as `check --deploy` (security.W009), enforced at start-up.
    raise ImproperlyConfigured(
        "SECRET_KEY must be a random value of at least 50 characters in production "
        "(not the development key). Generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )
elif not DEBUG and looks_like_placeholder(SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is a placeholder (such as the value in .env.example), not a secret. Set a random value "
        "of at least 50 characters: `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost"] if DEBUG or TESTING or CODE_ONLY_COMMAND or LOCAL_ACCOUNT_COMMAND else [],
)
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this site is served on.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "config.admin.RegistryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_tables2",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "registry",
    "dashboard",
    "api",
    "automation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the app writes (HTML, CSV, SVG), with Django's BREACH mitigation.
    "config.compression.CompressionMiddleware",
    "config.middleware.RequestLogMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    # Before sessions and views: a NUL in a parameter is a 400 without touching the database.
    "config.middleware.RejectControlCharactersMiddleware",
    # Before CSRF checking, which would read a multipart body to find its token.
    "config.middleware.UploadSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: answers a browser's revalidation with 304 before the view runs.
    "dashboard.caching.ConditionalDashboardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "registry.context_processors.demo_banner",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url("DATABASE_URL", env_str("DATABASE_URL") or "sqlite:///db.sqlite3", base_dir=BASE_DIR)
}
_replica_url = env_str("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = database_from_url("DATABASE_REPLICA_URL", _replica_url, base_dir=BASE_DIR)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.routers.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_redis_url = env_str("REDIS_URL")
CACHES = {
    "default": (
        {
            # Redis, falling back to a per-process cache while Redis is unreachable.
            "BACKEND": "config.cache.FallbackRedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "nmr",
            "TIMEOUT": 3600,
        }
        if _redis_url
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newmedia",
            "TIMEOUT": 3600,
        }
    )
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:overview"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (config/login_throttle.py): lock a username+address pair
# after AXES_FAILURE_LIMIT failures, and an address after
# AXES_ADDRESS_FAILURE_LIMIT failures across usernames, for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_HANDLER = "config.login_throttle.AddressAwareHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy REMOTE_ADDR is the proxy's, which would lock a user out
# for everyone; the client's address is then the one the proxy appended.
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_ip"
AXES_ALLOWED_CORS_ORIGINS = ""
AXES_ENABLED = env_bool("AXES_ENABLED", True)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Production hardening; `manage.py check --deploy` is clean with DEBUG=False.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Plotly injects <style> elements at run time, so styles allow 'unsafe-inline';
# scripts never do: every script is a file served by this app.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024, minimum=1024)
# Admin uploads larger than this go to the background worker (manage.py
# run_import_jobs) instead of the in-page preview.
IMPORT_BACKGROUND_FROM_BYTES = env_int("IMPORT_BACKGROUND_FROM_BYTES", 1024 * 1024, minimum=0)
# Where uploaded files wait for the worker; the web servers and the worker must share it.
IMPORT_JOBS_DIR = Path(env_str("IMPORT_JOBS_DIR") or BASE_DIR / "var" / "imports")

# Two interface languages. The default is Simplified Chinese (the people who use the
# registry are mostly Chinese communications staff); LANGUAGE_CODE=en makes English
# the default. A browser's Accept-Language and the switcher (set_language) override it.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "zh-hans", {code for code, _ in LANGUAGES})
# The switcher's choice lives in a cookie, so it survives logging out and in.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("TIME_ZONE") or "Asia/Shanghai"
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except Exception:  # noqa: BLE001 - any failure means the name is unusable
    raise ImproperlyConfigured(f"TIME_ZONE must be an IANA time zone name, got {TIME_ZONE!r}.") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
# Files browsers ask for at the site's root (favicon.ico), served by whitenoise.
WHITENOISE_ROOT = BASE_DIR / "web_root"

# The page's table layout (scrolling box, folding, pagination below) in
# dashboard/_table_body.html, over Bootstrap 5 markup whose body rows are drawn
# by one tag per row (templates/django_tables2/dashboard.html).
DJANGO_TABLES2_TEMPLATE = "dashboard/_table_body.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# Importing creates rows, so it needs the model's add permission (the Editor
# role has it; Viewers never reach the admin). Exporting needs view.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

SIMPLE_HISTORY_REVERT_DISABLED = False

# Chart rendering (kaleido + the system's chromium) for PNG/SVG/PDF exports.
CHART_RENDER_TIMEOUT = env_int("CHART_RENDER_TIMEOUT", 30, minimum=1)

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}, upper=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "filters": {
        "request_context": {"()": "config.logging.RequestContextFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json"},
        "discard": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
            "filters": ["request_context"],
        },
        "django.security": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
            "filters": ["request_context"],
        },
        # runserver writes its own line for every request; RequestLogMiddleware
        # already writes one (with user and duration), so this one would repeat it.
        "django.server": {"handlers": ["discard"], "propagate": False},
        "kaleido": {"level": "WARNING"},
        "choreographer": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.staticfiles.PlotlyFinder",
]
# Sessions are read from the cache and written through to the database, so a
# page view costs no session query once the session is warm; while Redis is
# unreachable they are read from the database alone (config.sessions).
SESSION_ENGINE = "config.sessions"

# --- JSON API (api/, docs/API.md)
API_RATE_LIMIT = env_str("API_RATE_LIMIT") or "1000/hour"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RolePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_RATE_LIMIT},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "New-media registry API",
    "DESCRIPTION": "Read and write the registry, and read the dashboard's aggregates. See docs/API.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "registry.models.DatePrecision"},
}

# --- e-mail (README "E-mail"): EMAIL_URL, or EMAIL_HOST/PORT/USE_TLS/HOST_USER/HOST_PASSWORD.
# Without either, mail is written to the console. Tests use Django's in-memory backend.
globals().update(email_from_env())
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "New-media registry <registry@localhost>"
# Reset by email is offered only when mail can leave the server; without it an
# administrator sets a new password.
PASSWORD_RESET_BY_EMAIL = bool(env_str("EMAIL_URL") or env_str("EMAIL_HOST"))
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
# Links in e-mails point here (no request to take the host from).
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

# --- Celery (config/celery.py, docs/AUTOMATION.md): Redis as broker; beat ticks the schedules.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or _redis_url or "redis://127.0.0.1:6379/0"
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged after it ran, and given back to the queue when its
# worker dies mid-run, so a killed send is delivered by the next worker; the
# send row's unique (schedule, slot) key keeps it to one delivery.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)}
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE = {
    "dispatch-due-briefings": {"task": "automation.tasks.dispatch_due_briefings", "schedule": 60.0},
    "worker-heartbeat": {"task": "automation.tasks.heartbeat", "schedule": 60.0},
    "alert-sweep": {"task": "automation.tasks.sweep_alerts", "schedule": 15 * 60.0},
    "alert-digest": {"task": "automation.tasks.send_alert_digests", "schedule": 24 * 3600.0},
}
# A worker not seen for this long is reported on the schedules page.
WORKER_STALE_AFTER = datetime.timedelta(minutes=env_int("WORKER_STALE_MINUTES", 5, minimum=1))
