"""One settings module, driven by environment variables only.

The defaults are the safe ones: with DEBUG off (the default) the site refuses to start
without a SECRET_KEY, serves only the hosts in ALLOWED_HOSTS, and sets secure cookies and
HSTS. `make run` switches DEBUG on for a local demo; production never does.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-make-run-never-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address, for links in emails and calendar files (no trailing slash).
# Without SITE_URL: the development server under DEBUG, else the first allowed host over HTTPS.
_HOSTS = [host.lstrip(".") for host in ALLOWED_HOSTS if host not in {"*", ""}]
if DEBUG:
    _DEFAULT_SITE_URL = f"http://127.0.0.1:{env('PORT', '8000')}"
else:
    _DEFAULT_SITE_URL = f"https://{_HOSTS[0]}" if _HOSTS else ""
SITE_URL = env("SITE_URL", _DEFAULT_SITE_URL).rstrip("/")

# The partnership this installation serves: its name is in every page header.
PARTNERSHIP_NAME = env("PARTNERSHIP_NAME", "Knowsley Safeguarding Children Partnership")
PARTNERSHIP_SHORT_NAME = env("PARTNERSHIP_SHORT_NAME", "KSCP")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "partnership.accounts",
    "partnership.directory",
    "partnership.governance",
    "partnership.trail",
    "partnership.backups",
    "partnership.reviews",
    "partnership.training",
    "partnership.performance",
    "partnership.audits",
    "partnership.plans",
    "partnership.website",
    "partnership.work",
    "partnership.records",
    # After the modules, so that "Sent email" comes after them in the navigation.
    "partnership.outbox",
    "partnership.demo",
]

MIDDLEWARE = [
    # Outermost, so that even a request refused early (a bogus Host) gets the headers.
    "csp.middleware.CSPMiddleware",
    "partnership.web.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "partnership.accounts.middleware.SessionIdleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "partnership.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "partnership.urls"
WSGI_APPLICATION = "partnership.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "partnership" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "partnership.web.jinja2.environment",
            "autoescape": True,
        },
    },
]

# A template that prints an undefined value raises (the tests turn this on) instead of
# printing nothing and logging it.
TEMPLATES_STRICT = env_bool("TEMPLATES_STRICT", False)

# Database: SQLite embedded by default; PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write lock at
    # the start of each transaction, so concurrent writers queue (busy_timeout) instead of
    # failing half-way with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 60,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=60000;"
        ),
    }
    # Tests use a file too (not memory), so that WAL and locking behave as in production.
    DATABASES["default"]["TEST"] = {
        # One file per test process, so that concurrent test runs never share one.
        "NAME": env("SQLITE_TEST_NAME", str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3"))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NCSC guidance: length over complexity, block common passwords, no forced expiry.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "partnership.accounts.validators.MaximumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password-reset emails one email address, and one client address, may ask for in an hour.
PASSWORD_RESET_PER_ADDRESS_PER_HOUR = env_int("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", 3)
PASSWORD_RESET_PER_CLIENT_PER_HOUR = env_int("PASSWORD_RESET_PER_CLIENT_PER_HOUR", 20)
# An invitation's emailed link to set a password works for this many days.
INVITATION_EXPIRY_DAYS = env_int("INVITATION_EXPIRY_DAYS", 7)
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "work:home"
LOGOUT_REDIRECT_URL = "website:home"

# Sessions end after SESSION_IDLE_MINUTES without a request: SessionIdleMiddleware moves the
# expiry on at most once a minute, so a page view is not a session write.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# However active, a session ends this many hours after sign-in (SessionIdleMiddleware).
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "partnership_session"
CSRF_COOKIE_NAME = "partnership_csrf"
CSRF_COOKIE_HTTPONLY = True
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"  # no extra cookie
CSRF_FAILURE_VIEW = "partnership.website.views.csrf_failure"

# Lock-outs count by username *and* IP together, so that nobody can lock another person out
# by guessing at their email address from elsewhere.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "partnership.accounts.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# How many proxies (load balancer, reverse proxy) stand in front of the application: the
# client's address is read from X-Forwarded-For behind exactly that many, by one function that
# the lock-out and the audit trail share. 0: the header is ignored.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "partnership.web.actors.client_ip"

OTP_TOTP_ISSUER = PARTNERSHIP_SHORT_NAME

# E-mail -----------------------------------------------------------------------------------
# Every email goes through partnership.outbox (docs/guide/email.md). In development each one
# is also written as a file under var/mail/ (EMAIL_FILE_PATH), to read as it was sent.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "no-reply@partnership.invalid")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A failed delivery is tried again after OUTBOX_RETRY_MINUTES, doubling each time, up to
# OUTBOX_MAX_ATTEMPTS tries in all; then the email is marked failed for the business unit.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
OUTBOX_RETRY_MINUTES = env_int("OUTBOX_RETRY_MINUTES", 5)

# Background work ---------------------------------------------------------------------
# Tasks queue in the database; `manage.py db_worker` runs them. Tests run them immediately.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Cache ------------------------------------------------------------------------------
# Drawn charts are cached. CACHE_URL=redis://host:6379/0 shares the cache between machines;
# by default it is a directory under var/, shared by the workers on one machine.
CACHE_URL = env("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"CACHE_URL must be redis://..., rediss://... or locmem://, not {CACHE_URL!r}"
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / "var" / "cache"),
        }
    }

# Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it, collected or not
STATICFILES_DIRS = [BASE_DIR / "partnership" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("MEDIA_ROOT", str(BASE_DIR / "var" / "uploads"))},
    },
    "staticfiles": {"BACKEND": "partnership.web.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploads are never served from a public URL: only authorised views stream them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# The most any one uploaded file may be (each form field may allow less): past it, the rest
# of the file is not stored and the form says it is too large. Bigger files go to
# FILE_UPLOAD_TEMP_DIR while the request is read; the daily sweep deletes leftovers.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MEGABYTES", 20) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "partnership.web.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = env("UPLOAD_TEMP_DIR", str(BASE_DIR / "var" / "tmp"))
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)

# Audit trail: the key its chain is signed with, kept outside the database, the keys used
# before a rotation (id:key,id:key), and where the signed checkpoints go (docs/guide/audit.md).
AUDIT_TRAIL_KEY = env("AUDIT_TRAIL_KEY")
AUDIT_TRAIL_KEY_ID = env("AUDIT_TRAIL_KEY_ID", "1")
AUDIT_TRAIL_KEYS = env("AUDIT_TRAIL_KEYS")
AUDIT_CHECKPOINT_FILE = env(
    "AUDIT_CHECKPOINT_FILE", str(BASE_DIR / "var" / "audit-trail-checkpoints.jsonl")
)
# Only the tests empty the database with `flush`, past the trail's triggers.
AUDIT_TRAIL_ALLOW_FLUSH = env_bool("AUDIT_TRAIL_ALLOW_FLUSH", False)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Security headers ---------------------------------------------------------------------
# Scripts only from the site itself, plus the one inline line GOV.UK Frontend's page template
# needs (it carries the request's nonce: base.html). Styles may be inline because the charts
# are SVG drawn on the server, with style attributes. Nothing may frame the site. Permissions-
# Policy and Cache-Control are set by partnership.web.headers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    # WeasyPrint warns of every SVG presentation property its CSS parser skips (the charts
    # in the key-points PDF draw correctly regardless): a few hundred lines a report.
    "loggers": {"weasyprint": {"level": "ERROR"}},
}
