"""The one settings module of 户籍e窗.

Every value comes from the environment through the typed helpers in ``config.env``; production
differs from a laptop only by environment variables. With no variable set at all the project
runs on the embedded default: a SQLite file under ``var/``, Celery tasks executed in-process and
an in-memory cache. ``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` to Redis as the Celery
broker and the cache.
"""

import datetime as dt
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HUKOU_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    # A fixed key only where nothing real is signed: a laptop with DEBUG on, or the test suite.
    # Anywhere else (DEBUG off) the app refuses to start rather than sign sessions with a key
    # that is public in the source.
    if not (DEBUG or "pytest" in sys.modules):
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (set DEBUG=1 only on a laptop).")
    SECRET_KEY = "django-insecure-embedded-default-do-not-deploy-0f3a9c2e7b"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "common",
    "hukou",
    "appointments",
    "documents",
    "schoolsync",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.middleware.LanguageMiddleware",
    "common.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "common.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "hukou.sqlite3",
            # SQLite serialises writers; wait instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Database roles (common/dbroles.py, docs/operations in README) ----------------------------
# The app connects with DATABASE_URL as a restricted role (no DELETE on the registry, append-only
# access log, owns nothing); ``manage.py migrate`` connects as the owner given here and then
# (re)grants that role. Unset (SQLite, or one role for everything): plain migrate.
MIGRATION_DATABASE_URL = env_str("MIGRATION_DATABASE_URL")
MIGRATION_DATABASE = dj_database_url.parse(MIGRATION_DATABASE_URL) if MIGRATION_DATABASE_URL else None
_default_db = DATABASES["default"]
DATABASE_APP_ROLE = _default_db.get("USER") if "postgresql" in _default_db["ENGINE"] else None
DATABASE_APP_PASSWORD = _default_db.get("PASSWORD") or None

# --- Redis, cache and Celery ----------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Embedded default: no broker, tasks run in-process right where they are sent.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when Redis is down: fail fast, the outbox sweeper
# picks the work up later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "common.worker_heartbeat", "schedule": 60.0},
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Logins, API tokens and the client address ----------------------------------------------
# API tokens (POST /api/v1/auth/token/) expire after this many hours and end at logout.
API_TOKEN_TTL = dt.timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 8, minimum=1))
# Reverse proxies in front of the app that append the client address to X-Forwarded-For; the
# login limits read the address that many entries from the right. 0 (default): REMOTE_ADDR.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0, minimum=0)

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Imports: what an uploaded .xlsx may unpack to before openpyxl opens it (common.spreadsheets).
IMPORT_XLSX_MAX_MB = env_int("IMPORT_XLSX_MAX_MB", 200, minimum=1)
IMPORT_XLSX_MAX_SHARED_STRINGS_MB = env_int("IMPORT_XLSX_MAX_SHARED_STRINGS_MB", 32, minimum=1)
IMPORT_XLSX_MAX_MEMBERS = env_int("IMPORT_XLSX_MAX_MEMBERS", 100, minimum=5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security (production switches these on by environment) --------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)

# --- Content-Security-Policy and caching (common.middleware.SecurityHeadersMiddleware) -------
# This origin only; inline <script>/<style> only with the per-request nonce ({nonce}); data:
# images for Swagger UI's icons. Replace the whole policy by environment if a deployment must.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "common.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON as DRF parses it, but a too deeply nested body is a 400 (common/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    # Fixed-window limits (common.ratelimit), shared by pages and API. Login and registration are
    # per client address, so passwords and ID numbers cannot be tried in bulk.
    "DEFAULT_THROTTLE_RATES": {
        "school_lookup": env_str("SCHOOL_LOOKUP_RATE", "30/min"),
        # Failed logins only (page, admin, token API together): per address and per account.
        "login": env_str("LOGIN_RATE", "10/min"),
        "login_account": env_str("LOGIN_ACCOUNT_RATE", "10/hour"),
        "register": env_str("REGISTER_RATE", "5/hour"),
        "verify": env_str("VERIFY_RATE", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "户籍e窗 API",
    "DESCRIPTION": "Household registry, booking and queue, materials pre-review and school sync.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema and the docs need a logged-in staff member (see common.permissions).
    "SERVE_PERMISSIONS": ["common.permissions.ApiDocsReader"],
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Cases accepted with missing materials (容缺受理) lapse once their supplement deadline passed;
# hourly is enough for a deadline counted in days, and the service is idempotent.
CELERY_BEAT_SCHEDULE["hukou-lapse-overdue"] = {"task": "hukou.case_lapse_overdue", "schedule": 3600.0}
# Import jobs whose kick was lost (Redis down at upload) still run: the job row is the record.
CELERY_BEAT_SCHEDULE["hukou-import-sweep"] = {"task": "hukou.import_jobs_sweep", "schedule": 60.0}
# Several hukou models have a "status"; name their enums in the OpenAPI schema explicitly.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "CaseStatusEnum": "hukou.models.cases.Case.Status",
    "HouseholdStatusEnum": "hukou.models.registry.Household.Status",
    "PersonStatusEnum": "hukou.models.registry.Person.Status",
    "DuplicateSuspectStatusEnum": "hukou.models.duplicates.DuplicateSuspect.Status",
    "CertificateStatusEnum": "hukou.models.certificates.Certificate.Status",
    "CertificateKindEnum": "hukou.models.cases.BusinessType.Certificate",
    "HouseholdKindEnum": "hukou.models.registry.Household.Kind",
    "ChangeEventKindEnum": "hukou.models.events.ChangeEvent.Kind",
}

# --- School sync delivery (docs/sync-protocol.md) --------------------------------------------
# Unset URL: events stay pending (visible in the admin) until a receiver is configured.
EDU_SYNC_URL = env_str("EDU_SYNC_URL", "")
EDU_SYNC_SECRET = env_str("EDU_SYNC_SECRET", "")
EDU_SYNC_CONNECT_TIMEOUT = env_int("EDU_SYNC_CONNECT_TIMEOUT_MS", 3000, minimum=1) / 1000
EDU_SYNC_READ_TIMEOUT = env_int("EDU_SYNC_READ_TIMEOUT_MS", 10000, minimum=1) / 1000
# Retries back off exponentially (base doubled per attempt, capped, 50–100 % jitter) until the horizon.
EDU_SYNC_BACKOFF_BASE = env_int("EDU_SYNC_BACKOFF_BASE_MS", 5000, minimum=1) / 1000
EDU_SYNC_BACKOFF_MAX = env_int("EDU_SYNC_BACKOFF_MAX_MS", 3600 * 1000, minimum=1) / 1000
EDU_SYNC_RETRY_HORIZON = env_int("EDU_SYNC_RETRY_HORIZON_S", 72 * 3600, minimum=1)
# How long a worker owns an event it is delivering; a killed worker's event is retried after it.
EDU_SYNC_LEASE = env_int("EDU_SYNC_LEASE_MS", 60 * 1000, minimum=1) / 1000
EDU_SYNC_SWEEP_INTERVAL = env_int("EDU_SYNC_SWEEP_INTERVAL_MS", 30 * 1000, minimum=1) / 1000
# Bearer key of the education system's client for the pull API (/api/v1/sync/changes/).
EDU_SYNC_PULL_TOKEN = env_str("EDU_SYNC_PULL_TOKEN", "")
CELERY_BEAT_SCHEDULE["schoolsync-sweep"] = {"task": "schoolsync.sweep", "schedule": EDU_SYNC_SWEEP_INTERVAL}
CELERY_BEAT_SCHEDULE["schoolsync-reconciliation"] = {
    "task": "schoolsync.reconciliation_report",
    "schedule": crontab(hour=2, minute=30),
}
