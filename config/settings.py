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
    # ASGI runserver (websockets in the embedded default); must come before staticfiles.
    "daphne",
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
    "channels",
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
    "common.middleware.ControlCharacterMiddleware",
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
    # Sessions are read from Redis and written through to the database: a signed-in page costs
    # one query less. Only with Redis, the one cache every worker shares (a per-process cache
    # would keep serving a session another worker ended at logout).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Embedded default: no broker, tasks run in-process right where they are sent.
    CELERY_BROKER_URL = "memory://localhost/"  # with a host name: kombu warns about none
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
# ModelBackend that reads the user's station and school in the same query (accounts/backends.py).
AUTHENTICATION_BACKENDS = ["accounts.backends.UserWithPlaceBackend"]
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
# images for Swagger UI's icons. The live pages (waiting-room display, the visitor's ticket)
# open a websocket to this host: {websocket} becomes ws://host or wss://host of the request
# (older browsers do not let 'self' cover ws:/wss:), and the display plays its voice clips from
# static files (media-src 'self'). Replace the whole policy by environment if a deployment must.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; font-src 'self'; media-src 'self'; connect-src 'self' {websocket}; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
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
    "DEFAULT_PAGINATION_CLASS": "common.paging.CappedPageNumberPagination",  # count capped at 1,000
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
        "otp_send": env_str("OTP_SEND_RATE", "5/hour"),
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
    # Tracebacks only for real errors: a 403 or 404 is logged in one line.
    "filters": {"client_errors_without_traceback": {"()": "common.logging.ClientErrorsWithoutTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors_without_traceback"],
        }
    },
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

# --- Text messages (one-time codes, reminders): common/notifications.py --------------------------
NOTIFY_BACKEND = env_str("NOTIFY_BACKEND", "console")
if NOTIFY_BACKEND not in {"console", "sms_gateway"}:
    raise ImproperlyConfigured(f"NOTIFY_BACKEND={NOTIFY_BACKEND!r}: use 'console' or 'sms_gateway'")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT_MS", 5000, minimum=1) / 1000
# --- School sync under faults: who is sent, parallel posts, per-receiver limit, breaker -------
# Only children of school age are pushed: age at the change between these bounds (inclusive).
EDU_SYNC_MIN_AGE = env_int("EDU_SYNC_MIN_AGE", 0, minimum=0)
EDU_SYNC_MAX_AGE = env_int("EDU_SYNC_MAX_AGE", 17, minimum=0)
if EDU_SYNC_MAX_AGE < EDU_SYNC_MIN_AGE:
    raise ImproperlyConfigured("EDU_SYNC_MAX_AGE must not be below EDU_SYNC_MIN_AGE.")
# POSTs in flight at once per worker process (threads), and per receiver across all workers.
EDU_SYNC_CONCURRENCY = env_int("EDU_SYNC_CONCURRENCY", 16, minimum=1)
EDU_SYNC_MAX_CONNECTIONS = env_int("EDU_SYNC_MAX_CONNECTIONS", 64, minimum=1)
# Circuit breaker: when nearly every recent answer failed, stop posting for a while (doubling).
EDU_SYNC_BREAKER_OPEN = env_int("EDU_SYNC_BREAKER_OPEN_MS", 1000, minimum=1) / 1000
EDU_SYNC_BREAKER_MAX_OPEN = env_int("EDU_SYNC_BREAKER_MAX_OPEN_MS", 8000, minimum=1) / 1000

# --- Booking and queue (docs/appointments.md) -------------------------------------------------
# How many days ahead parents may book, and when each day's places are released (the burst).
BOOKING_HORIZON_DAYS = env_int("BOOKING_HORIZON_DAYS", 3, minimum=1)
BOOKING_RELEASE_HOUR = env_int("BOOKING_RELEASE_HOUR", 8, minimum=0)
# Cancel or reschedule up to this many hours before the slot; active bookings per account.
BOOKING_CANCEL_CUTOFF_HOURS = env_int("BOOKING_CANCEL_CUTOFF_HOURS", 2, minimum=0)
BOOKING_MAX_ACTIVE_PER_ACCOUNT = env_int("BOOKING_MAX_ACTIVE_PER_ACCOUNT", 3, minimum=1)
# Booked visitors may check in this early / late; later joins the walk-in line.
CHECKIN_EARLY_MINUTES = env_int("CHECKIN_EARLY_MINUTES", 60, minimum=0)
CHECKIN_LATE_MINUTES = env_int("CHECKIN_LATE_MINUTES", 15, minimum=0)
# A called ticket may be marked no-show only after this grace period.
QUEUE_NO_SHOW_GRACE_SECONDS = env_int("QUEUE_NO_SHOW_GRACE_SECONDS", 120, minimum=0)
# Estimated wait = people ahead × minutes per visit ÷ open windows.
QUEUE_MINUTES_PER_VISIT = env_int("QUEUE_MINUTES_PER_VISIT", 8, minimum=1)
# When booked visitors wait this many minutes or more, those booked later today are told (once).
QUEUE_RUNNING_LATE_MINUTES = env_int("QUEUE_RUNNING_LATE_MINUTES", 30, minimum=1)
# Days a station admin has to answer a 办不成事 report.
FOLLOW_UP_DAYS = env_int("FOLLOW_UP_DAYS", 3, minimum=1)
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["booking"] = env_str("BOOKING_RATE", "20/min")
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["checkin"] = env_str("CHECKIN_RATE", "30/min")
# Under ASGI each request's sync code runs in a thread of its own, so per-thread persistent
# connections (CONN_MAX_AGE) would pile up until PostgreSQL refuses clients; a psycopg pool per
# process shares a few connections instead (docs/architecture.md, "Live updates").
if DATABASE_URL and env_bool("DB_POOL", default=True):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN", 1, minimum=0),
        "max_size": env_int("DB_POOL_MAX", 10, minimum=1),
        "timeout": env_int("DB_POOL_TIMEOUT_S", 10, minimum=1),
    }
# Live push (display, phones): Django Channels. Redis carries it between ASGI workers; the
# embedded default serves it in-process (daphne's runserver, in-memory layer).
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
CELERY_BEAT_SCHEDULE["appointments-slots-generate"] = {"task": "appointments.slots_generate_all", "schedule": 3600.0}
CELERY_BEAT_SCHEDULE["appointments-reminders"] = {"task": "appointments.reminders_send_due", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["appointments-running-late"] = {"task": "appointments.running_late_notify", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["appointments-no-shows"] = {"task": "appointments.bookings_mark_no_show", "schedule": 3600.0}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "BookingStatusEnum": "appointments.models.bookings.Booking.Status",
        "TicketStatusEnum": "appointments.models.queue.Ticket.Status",
        "ApplicationStatusEnum": "documents.models.applications.Application.Status",
        "ApplicationItemStatusEnum": "documents.models.applications.ApplicationItem.Status",
    }
)

# --- Parent identity: one-time codes (accounts/services/otp.py) ----------------------------------
OTP_TTL_SECONDS = env_int("OTP_TTL_SECONDS", 300, minimum=30)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5, minimum=1)

# --- Materials pre-review (documents/, common/uploads/; docs/documents.md) ----------------------
# Uploads live outside MEDIA_ROOT and are served only by permission-checked, access-logged views.
PRIVATE_UPLOAD_ROOT = Path(env_str("PRIVATE_UPLOAD_ROOT", str(VAR_DIR / "private")))
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 15 * 1024 * 1024, minimum=1024)
# Pillow's decompression-bomb limit is set from this too; 40 MP covers every phone camera.
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 40_000_000, minimum=10_000)
UPLOAD_MAX_EDGE = env_int("UPLOAD_MAX_EDGE", 2000, minimum=600)
UPLOAD_THUMBNAIL_EDGE = env_int("UPLOAD_THUMBNAIL_EDGE", 320, minimum=64)
UPLOAD_MAX_PDF_PAGES = env_int("UPLOAD_MAX_PDF_PAGES", 10, minimum=1)
UPLOAD_MIN_SHORT_EDGE = env_int("UPLOAD_MIN_SHORT_EDGE", 600, minimum=1)
# Blur: Laplacian variance / image variance, in thousandths (20 = 0.02; lower is blurrier).
UPLOAD_BLUR_THRESHOLD = env_int("UPLOAD_BLUR_THRESHOLD", 20, minimum=0)
# OCR threads per worker process; never more than the machine's cores (documents/ocr.py).
DOCUMENTS_OCR_THREADS = env_int("DOCUMENTS_OCR_THREADS", 2, minimum=1)
# Reminders before a 容缺 supplement deadline, hourly sweep.
CELERY_BEAT_SCHEDULE["documents-supplement-reminders"] = {"task": "documents.reminders_send", "schedule": 3600.0}
CELERY_BEAT_SCHEDULE["documents-prereview-sweep"] = {"task": "documents.prereview_sweep", "schedule": 120.0}
