"""Snagdesk settings, configured from the environment.

The defaults run a working single machine with nothing to install: SQLite and media
under ``var/``, console email, a filesystem Celery broker and a local-memory cache.
Production sets ``DATABASE_URL``, ``REDIS_URL`` (or ``CELERY_BROKER_URL``), ``EMAIL_URL``,
``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

from pathlib import Path

import environ

from snagdesk_server.core.deployment import DEVELOPMENT_SECRET_KEY, proxy_ssl_header

BACKEND_DIR = Path(__file__).resolve().parent.parent
ROOT_DIR = BACKEND_DIR.parent

env = environ.Env()
VAR_DIR = Path(env("SNAGDESK_VAR_DIR", default=str(ROOT_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
# A permission check naming a code no module registers raises instead of denying.
PERMISSIONS_STRICT = env.bool("PERMISSIONS_STRICT", default=DEBUG)
# Without DEBUG, a missing key or host list stops every process at start (core/deployment.py).
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "corsheaders",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "snagdesk_server.core",
    "snagdesk_server.accounts",
    "snagdesk_server.projects",
    "snagdesk_server.tickets",
    "snagdesk_server.website_support",
    "snagdesk_server.secure_messages",
    "snagdesk_server.memos",
    "snagdesk_server.billing",
    "snagdesk_server.support_packages",
    # The shells above the modules, in the dependency order (DESIGN.md).
    "snagdesk_server.portal",
    "snagdesk_server.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "snagdesk_server.core.security.SecurityHeadersMiddleware",
    # Before anything reads the query string (CORS reads the widget's token from it).
    "snagdesk_server.core.middleware.QueryStringMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "snagdesk_server.core.middleware.LocaleMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "snagdesk_server.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "snagdesk_server.core.middleware.TimezoneMiddleware",
]

ROOT_URLCONF = "snagdesk_server.urls"
WSGI_APPLICATION = "snagdesk_server.wsgi.application"
ASGI_APPLICATION = "snagdesk_server.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [ROOT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "snagdesk_server.core.context_processors.platform",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'snagdesk.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE transactions serialise writers instead of failing with "database is
    # locked"; WAL lets the web process read while the worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["snagdesk_server.accounts.backends.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
# Failed sign-ins allowed within the window (docs/deployment.md, "Login protection"): per
# email from one client IP, per client IP across all emails, and per email from anywhere
# (a ceiling that only a distributed attack reaches). The IP is read as the widget's is.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=20)
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=50)
LOGIN_FAILURE_WINDOW_MINUTES = env.int("LOGIN_FAILURE_WINDOW_MINUTES", default=15)

LANGUAGE_CODE = "en"
# The 27 languages of the console, the portal, the emails and the widget, each named in
# itself (docs/translations.md). Catalogues live in each app's locale/ directory.
LANGUAGES = [
    ("en", "English"),
    ("bg", "Български"),
    ("ca", "Català"),
    ("cs", "Čeština"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("fr-ca", "Français (Canada)"),
    ("id", "Bahasa Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("nb", "Norsk bokmål"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("pt-br", "Português (Brasil)"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sk", "Slovenčina"),
    ("sv", "Svenska"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("vi", "Tiếng Việt"),
    ("zh-hans", "简体中文"),
]
# Our English date formats; the other languages keep Django's.
FORMAT_MODULE_PATH = ["snagdesk_server.formats"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [ROOT_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads above this size are streamed to disk instead of held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Snagdesk <support@snagdesk.localhost>")

# Celery. Without a broker URL, a filesystem queue under var/ lets `make run` work
# with nothing installed; production points this at Redis or RabbitMQ.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "broker"
    for _folder in ("processed", "control"):
        (_queue_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# /cron/<job>?token=..., for hosts that cannot run a worker: off unless turned on, and
# then it needs its shared secret (core/deployment.py refuses to start without it).
CRON_TRIGGER = env.bool("CRON_TRIGGER", default=False)
CRON_TOKEN = env("CRON_TOKEN", default="")

# Online payment with Stripe Checkout, offered once both keys are set (docs/billing.md).
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Where Stripe's API answers; empty for Stripe's own. The tests point it at a local server.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "snagdesk_server.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["snagdesk_server.core.api.IsStaffUser"],
    "DEFAULT_PAGINATION_CLASS": "snagdesk_server.core.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "snagdesk_server.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "snagdesk_server.core.security.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "snagdesk_server.core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_THROTTLE_RATE", default="1000/minute")},
}
# The most pixels an uploaded image (attachment, widget screenshot) may have
# (core.images): 50 megapixels takes a phone's full-size photo.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=50_000_000)
# How deeply a JSON body may nest (core.parsers): the staff API, and the public widget
# API, whose reports are flat.
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=64)
WIDGET_JSON_MAX_DEPTH = env.int("WIDGET_JSON_MAX_DEPTH", default=16)
SPECTACULAR_SETTINGS = {
    "TITLE": "Snagdesk staff API",
    "DESCRIPTION": (
        "Staff REST API of a Snagdesk desk. Authenticate with a personal API token: "
        "`Authorization: Bearer sdk_…`. Every error is JSON `{code, message, fields}`. "
        "Lists are paginated (`page`, `page_size` up to 100). Nothing is deleted through the "
        "API: close tickets, deactivate clients, contacts and departments, cancel projects."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["snagdesk_server.core.api.IsStaffUser"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["snagdesk_server.core.api.staff_api_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "snagdesk_server.core.api.query_text_pattern",
    ],
    # Swagger UI and Redoc assets ship with drf-spectacular-sidecar: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from validator.swagger.io: the page's policy loads nothing from elsewhere.
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        "persistAuthorization": True,
        "validatorUrl": None,
    },
}

# CORS only for the public widget API, answered per token by website_support.cors.
CORS_URLS_REGEX = r"^/api/widget/.*$"
CORS_ALLOW_HEADERS = ["content-type", "idempotency-key"]
CORS_ALLOW_METHODS = ["GET", "POST", "OPTIONS"]
CORS_PREFLIGHT_MAX_AGE = 600
CORS_EXPOSE_HEADERS = ["retry-after", "idempotent-replayed"]
WIDGET_TOKEN_RATE = env("WIDGET_TOKEN_RATE", default="120/minute")
WIDGET_IP_RATE = env("WIDGET_IP_RATE", default="30/minute")
# Reveal attempts of a secure message: per message (a password cannot be guessed online)
# and per client IP (ids cannot be swept). docs/secure-messages.md.
SECURE_MESSAGE_REVEAL_RATE = env("SECURE_MESSAGE_REVEAL_RATE", default="10/hour")
SECURE_MESSAGE_REVEAL_IP_RATE = env("SECURE_MESSAGE_REVEAL_IP_RATE", default="60/hour")
# Trust X-Forwarded-For only behind this many reverse proxies (0: use REMOTE_ADDR).
WIDGET_NUM_PROXIES = env.int("WIDGET_NUM_PROXIES", default=0)

# Security. Behind HTTPS, docs/deployment.md sets the variables below so that
# `manage.py check --deploy` is clean (tests/core/test_security_deploy.py proves it).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# "HTTP_X_FORWARDED_PROTO,https": the header the TLS-terminating proxy sets, and its value.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env("SECURE_PROXY_SSL_HEADER", default=""))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs each step of every PDF it renders at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
