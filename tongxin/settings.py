"""Tongxin settings: one file, read from the environment.

Defaults make `make run` work on SQLite with no configuration. See README.md
("Configuration") for every variable. Importing this module creates no files: `manage.py`
prepares `var/` and the per-checkout secret key (`tongxin.local_files`).
"""

import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A setting from the environment, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


DEBUG = env_bool("TONGXIN_DEBUG", False)
# Set by `tongxin.testing` (the suite's settings): jobs run immediately, no static manifest.
TESTING = env_bool("TONGXIN_TESTING", False)
HTTPS = env_bool("TONGXIN_HTTPS", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    # A per-checkout key made once by manage.py (tongxin.local_files), so sessions survive restarts.
    key_file = BASE_DIR / "var" / "secret_key"
    if key_file.exists():
        SECRET_KEY = key_file.read_text(encoding="utf-8").strip()
    elif TESTING:
        SECRET_KEY = "tests-only-insecure-key-" + "x" * 40
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY 未设置：请设置环境变量 SECRET_KEY，或先运行一次 manage.py（生成 var/secret_key）"
        )

ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "ninja",
    # Tongxin, lowest first: an app imports only from apps above it in this list.
    "core",
    "orgs",
    "accounts",
    "people",
    "notifications",
    "integrations",
    "plans",
    "events",
    "proposals",
    "publicity",
    "fiveones",
    "study",
    "assessment",
    "budget",
    "reports",
    "dashboard",
    "api",
]

MIDDLEWARE = [
    "core.proxy.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "orgs.middleware.MembershipMiddleware",
    "accounts.middleware.SecurityStepsMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "tongxin.urls"
# <select> and <input> written in Python with the same HTML as Django's widget templates (issue 16).
FORM_RENDERER = "core.forms_renderer.FastWidgetRenderer"
WSGI_APPLICATION = "tongxin.wsgi.application"

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
                "dashboard.navigation.navigation",
            ],
        },
    }
]

# Database: SQLite in the checkout by default, PostgreSQL via DATABASE_URL.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'tongxin.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Passwords: Argon2, length >= 10, three character classes, not the username.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassValidator"},
    {"NAME": "accounts.passwords.NotUsernameValidator"},
    {"NAME": "accounts.passwords.PasswordHistoryValidator"},
]
# Password expiry in days (0: never): 90 for the three admins, none for the others by default.
PASSWORD_MAX_AGE_DAYS_ADMIN = env_int("TONGXIN_PASSWORD_MAX_AGE_DAYS_ADMIN", 90)
PASSWORD_MAX_AGE_DAYS = env_int("TONGXIN_PASSWORD_MAX_AGE_DAYS", 0)
# Two factors (TOTP) for UFD staff, leaders and the three admins. On by default; off under pytest
# (tests log in with force_login; the two-factor tests switch it on).
TWO_FACTOR_REQUIRED = env_bool("TONGXIN_2FA_REQUIRED", not TESTING)
# A tracked session's "last seen" is written at most this often.
SESSION_SEEN_SECONDS = env_int("TONGXIN_SESSION_SEEN_SECONDS", 300)
LOGIN_URL = "accounts:login"
# One-time set-password links (new accounts, approved resets) expire after this many hours.
PASSWORD_RESET_TIMEOUT = env_int("TONGXIN_RESET_LINK_HOURS", 24) * 3600
LOGIN_REDIRECT_URL = "dashboard:home"

# Lockout: after N failed logins for one account (or from one IP) within the window.
LOCKOUT_FAILURES = env_int("TONGXIN_LOCKOUT_FAILURES", 5)
LOCKOUT_IP_FAILURES = env_int("TONGXIN_LOCKOUT_IP_FAILURES", 5)
LOCKOUT_MINUTES = env_int("TONGXIN_LOCKOUT_MINUTES", 30)
# An address over TONGXIN_LOCKOUT_IP_FAILURES is slowed (never locked): each attempt waits
# this many seconds, doubling per further failure, up to the maximum.
LOGIN_DELAY_SECONDS = float(env("TONGXIN_LOGIN_DELAY_SECONDS", "1"))
LOGIN_DELAY_MAX_SECONDS = float(env("TONGXIN_LOGIN_DELAY_MAX_SECONDS", "8"))
# Single sign-on (issue 17; README "统一身份认证"). CAS is on when its server URL is set, OpenID
# Connect when issuer and client id are set. The 工号 comes from the CAS user (or an attribute) or
# from an ID-token claim; roles come from the IdP only through the explicit group -> role map.
CAS_SERVER_URL = env("TONGXIN_CAS_SERVER_URL").rstrip("/")
CAS_VERSION = env("TONGXIN_CAS_VERSION", "3")
CAS_ID_ATTRIBUTE = env("TONGXIN_CAS_ID_ATTRIBUTE")
OIDC_ISSUER = env("TONGXIN_OIDC_ISSUER")
OIDC_CLIENT_ID = env("TONGXIN_OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env("TONGXIN_OIDC_CLIENT_SECRET")
OIDC_SCOPES = env("TONGXIN_OIDC_SCOPES", "openid profile")
OIDC_ID_CLAIM = env("TONGXIN_OIDC_ID_CLAIM", "preferred_username")
SSO_GROUPS_ATTRIBUTE = env("TONGXIN_SSO_GROUPS_ATTRIBUTE", "groups")
SSO_ROLE_MAP = json.loads(env("TONGXIN_SSO_ROLE_MAP", "{}") or "{}")
SSO_TIMEOUT_SECONDS = env_int("TONGXIN_SSO_TIMEOUT_SECONDS", 10)
# "all": every account may sign in with its local password; "admins": only the three admins
# (break-glass), everyone else through single sign-on.
LOCAL_LOGIN = env("TONGXIN_LOCAL_LOGIN", "all")
# How many reverse proxies in front of Tongxin append to X-Forwarded-For. 0: the header is
# never trusted and the client address is the connection's.
TRUSTED_PROXIES = env_int("TONGXIN_TRUSTED_PROXIES", 0)

# Sessions end after 30 idle minutes. A page view does not write the session: it is saved (and its
# expiry renewed) when `accounts.security.touch_session` notes the activity, at most every
# TONGXIN_SESSION_SEEN_SECONDS - so a session ends between 30 minus that many seconds and 30 minutes
# after its last request, never later.
SESSION_COOKIE_AGE = env_int("TONGXIN_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# HTTPS: secure cookies and HSTS only when served over TLS.
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and not env_bool("TONGXIN_BEHIND_PROXY_NO_REDIRECT", False)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("TONGXIN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Request size: larger bodies get a 413 before any view runs.
MAX_REQUEST_BYTES = env_int("TONGXIN_MAX_REQUEST_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Language and time: Chinese first, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and datetime inputs render ISO values (YYYY-MM-DD), which <input type="date"> needs.
FORMAT_MODULE_PATH = ["tongxin.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files: collected into var/static and served by whitenoise.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
if (BASE_DIR / "node_modules" / "htmx.org" / "dist").is_dir():
    STATICFILES_DIRS.append(("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env("TONGXIN_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"

# Background jobs: huey on SQLite by default, Redis when REDIS_URL is set.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "tongxin",
        "url": REDIS_URL,
        "immediate": TESTING,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "tongxin",
        "filename": str(BASE_DIR / "var" / "huey.sqlite3"),
        "immediate": TESTING,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
HUEY["consumer"] = {"workers": env_int("TONGXIN_HUEY_WORKERS", 2), "worker_type": "thread"}

# Several app nodes (README "Multi-node deployment"). With REDIS_URL: sessions are kept in the
# database and read through the Redis cache (the security admin still lists and ends them), and
# each periodic job is claimed once per scheduled minute in Redis (core.cluster), so every node may
# run a consumer; TONGXIN_HUEY_PERIODIC=0 turns a node's scheduler off altogether. Login lockout
# counters are database rows updated atomically, shared by every node as they are.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CACHES["default"]["KEY_PREFIX"] = "tongxin"
    HUEY["huey_class"] = "core.cluster.ClusterHuey"
HUEY["consumer"]["periodic"] = env_bool("TONGXIN_HUEY_PERIODIC", True)
# Media on S3-compatible object storage (MinIO, Ceph, the college's store) when a bucket is named;
# else files under TONGXIN_MEDIA_ROOT (a shared directory when there are several nodes). Files are
# only ever read by the app's views after their access checks and streamed through them: the bucket
# stays private and no URL of it reaches a browser.
S3_BUCKET = env("TONGXIN_S3_BUCKET")
if S3_BUCKET:
    from urllib.parse import urlsplit

    s3_endpoint = urlsplit(env("TONGXIN_S3_ENDPOINT_URL", "http://127.0.0.1:9000"))
    MINIO_STORAGE_ENDPOINT = s3_endpoint.netloc
    MINIO_STORAGE_USE_HTTPS = s3_endpoint.scheme == "https"
    MINIO_STORAGE_ACCESS_KEY = env("TONGXIN_S3_ACCESS_KEY")
    MINIO_STORAGE_SECRET_KEY = env("TONGXIN_S3_SECRET_KEY")
    MINIO_STORAGE_REGION = env("TONGXIN_S3_REGION", "us-east-1")
    MINIO_STORAGE_MEDIA_BUCKET_NAME = S3_BUCKET
    MINIO_STORAGE_AUTO_CREATE_MEDIA_BUCKET = False
    MINIO_STORAGE_AUTO_CREATE_MEDIA_POLICY = False  # never a public-read policy
    MINIO_STORAGE_MEDIA_USE_PRESIGNED = True
    STORAGES["default"] = {"BACKEND": "minio_storage.storage.MinioMediaStorage"}
# PostgreSQL connections: kept open CONN_MAX_AGE seconds per worker, or with TONGXIN_DB_POOL_SIZE > 0
# Django's own pool (psycopg_pool) of at most that many per process. Many nodes: PgBouncer in front.
DB_POOL_SIZE = env_int("TONGXIN_DB_POOL_SIZE", 0)
if env_bool("TONGXIN_PGBOUNCER", False):  # transaction pooling: no cursor may outlive a transaction
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DB_POOL_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": DB_POOL_SIZE, "timeout": 10}

# Study push: a read receipt counts after the page was open this long (or the end was reached
# and at least TONGXIN_STUDY_MIN_FINISH_SECONDS passed since it was opened).
STUDY_MIN_READ_SECONDS = env_int("TONGXIN_STUDY_MIN_READ_SECONDS", 30)
STUDY_MIN_FINISH_SECONDS = env_int("TONGXIN_STUDY_MIN_FINISH_SECONDS", 10)
# Untrusted files (imports, plan documents, evidence) are read in a child process with these
# limits (core.bounded): address-space growth in MB and wall-clock seconds.
PARSE_MEMORY_MB = env_int("TONGXIN_PARSE_MEMORY_MB", 512)
PARSE_SECONDS = env_int("TONGXIN_PARSE_SECONDS", 30)

# A background job without a heartbeat this long is marked failed (a killed worker); kept import
# uploads (personal data) are deleted after this many hours even if never imported.
JOB_STALE_MINUTES = env_int("TONGXIN_JOB_STALE_MINUTES", 10)
UPLOAD_RETENTION_HOURS = env_int("TONGXIN_UPLOAD_RETENTION_HOURS", 24)

# The public sign-up link of an event: sign-ups per client address and per event in an hour
# (each event also caps its external places, Event.external_places).
PUBLIC_SIGNUP_PER_ADDRESS_HOUR = env_int("TONGXIN_SIGNUP_PER_ADDRESS_HOUR", 3)
PUBLIC_SIGNUP_PER_EVENT_HOUR = env_int("TONGXIN_SIGNUP_PER_EVENT_HOUR", 20)

# An approved look-up lets the audit admin see one subject's names for this many hours.
AUDIT_LOOKUP_HOURS = env_int("TONGXIN_AUDIT_LOOKUP_HOURS", 24)

# The audit log keeps at least this many days.
AUDIT_RETENTION_DAYS = max(180, env_int("TONGXIN_AUDIT_RETENTION_DAYS", 180))

# E-mail: the console in development, SMTP when EMAIL_HOST is set.
# The address users reach Tongxin at, for links in e-mails and calendar feeds.
TONGXIN_BASE_URL = env("TONGXIN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "tongxin@localhost")
# Outside channels: robot webhooks time out quickly; failed sends are retried with backoff
# (base, doubling: 1, 2, 4, 8 min) up to the maximum number of attempts.
WEBHOOK_TIMEOUT = env_int("TONGXIN_WEBHOOK_TIMEOUT", 5)
DELIVERY_RETRY_SECONDS = env_int("TONGXIN_DELIVERY_RETRY_SECONDS", 60)
DELIVERY_MAX_ATTEMPTS = env_int("TONGXIN_DELIVERY_MAX_ATTEMPTS", 5)
# The API for other systems (api/, integrations/): calls per token per minute, and the page size.
API_RATE_PER_MINUTE = env_int("TONGXIN_API_RATE_PER_MINUTE", 120)
# Where the per-minute counter is kept: "cache" (shared when REDIS_URL is set) or "database" (a row
# per token and minute; the only shared place without Redis, as the local-memory cache is per process).
API_RATE_STORE = env("TONGXIN_API_RATE_STORE", "cache" if REDIS_URL else "database")
if API_RATE_STORE not in ("cache", "database"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TONGXIN_API_RATE_STORE must be cache or database")
NINJA_PAGINATION_PER_PAGE = env_int("TONGXIN_API_PAGE_SIZE", 50)
NINJA_PAGINATION_MAX_LIMIT = env_int("TONGXIN_API_MAX_LIMIT", 200)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 is logged as one line (method, path, user), without the traceback Django attaches.
    "filters": {"one_line_refusals": {"()": "core.log.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_refusals"]}},
    "loggers": {"django.request": {"filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": env("TONGXIN_LOG_LEVEL", "WARNING")},
}

# Signs the audit chain's purge checkpoints (HMAC). Keep it out of the database; default derived
# from SECRET_KEY, so set it separately in production to let the audit admin keep it apart.
AUDIT_CHECKPOINT_KEY = env("TONGXIN_AUDIT_KEY") or f"tongxin-audit-checkpoint:{SECRET_KEY}"

# Encryption at rest of phone and e-mail (core.crypto): Fernet keys, newest first, from the
# environment or a key file; in development one key generated once into var/field_key. Never in
# the database or the repository. `python manage.py rotate_keys` moves every value to the first key.
FIELD_KEYS = [k.strip() for k in env("TONGXIN_FIELD_KEY").split(",") if k.strip()]
if not FIELD_KEYS:
    field_key_file = BASE_DIR / "var" / "field_key"  # made once by manage.py (tongxin.local_files)
    if field_key_file.exists():
        FIELD_KEYS = [field_key_file.read_text(encoding="utf-8").strip()]
    elif TESTING:
        FIELD_KEYS = ["dGVzdHMtb25seS1maWVsZC1rZXktMDEyMzQ1Njc4OTA="]
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "TONGXIN_FIELD_KEY 未设置：请设置加密密钥，或先运行一次 manage.py（生成 var/field_key）"
        )
