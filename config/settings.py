"""The one settings module of 户籍e窗.

Every value comes from the environment through the typed helpers in ``config.env``; production
differs from a laptop only by environment variables. With no variable set at all the project
runs on the embedded default: a SQLite file under ``var/``, Celery tasks executed in-process and
an in-memory cache. ``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` to Redis as the Celery
broker and the cache.
"""

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
    if not DEBUG and env_bool("HUKOU_REQUIRE_SECRET_KEY", default=False):
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off in production.")
    # Embedded default only: a fixed key is fine for a laptop demo, never for a deployment
    # (``check --deploy`` flags it, and the compose file sets a real one).
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

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    # --- hostile input --- JSON nested past the recursion limit answers 400 (issue #11).
    "DEFAULT_PARSER_CLASSES": [
        "common.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Fixed-window limits (common.ratelimit), shared by pages and API. Login and registration are
    # per client address, so passwords and ID numbers cannot be tried in bulk.
    "DEFAULT_THROTTLE_RATES": {
        "school_lookup": env_str("SCHOOL_LOOKUP_RATE", "30/min"),
        "login": env_str("LOGIN_RATE", "10/min"),
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

# --- Text messages (one-time codes, reminders): common/notifications.py --------------------------
NOTIFY_BACKEND = env_str("NOTIFY_BACKEND", "console")
if NOTIFY_BACKEND not in {"console", "sms_gateway"}:
    raise ImproperlyConfigured(f"NOTIFY_BACKEND={NOTIFY_BACKEND!r}: use 'console' or 'sms_gateway'")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT_MS", 5000, minimum=1) / 1000
