"""The one settings module: every deployment difference comes from the environment.

XUNCHA_DEBUG      "1" turns DEBUG on (off by default).
DJANGO_SECRET_KEY required in production; the demo and tests generate a local one.
DATABASE_URL      selects the database (PostgreSQL in production); SQLite file by default.
XUNCHA_TLS        "0" when served over plain HTTP (demo, tests); TLS-only cookies and HSTS otherwise.
XUNCHA_STATIC_MANIFEST "0" serves static files without collectstatic (tests).
XUNCHA_DEMO       "1" in the demo only: shows the demo TOTP code on the second-factor page.
XUNCHA_ALLOWED_HOSTS comma-separated host names.
XUNCHA_NODE       "intake" on the internet-facing intake node (its own, smaller URL map); "internal" by default.
XUNCHA_TOTP_KEY_FILE the key that encrypts TOTP secrets at rest; the demo and tests generate one in KEY_DIR (keys/, apart from var/).
XUNCHA_AUDIT_ANCHOR_KEY_FILE / XUNCHA_AUDIT_ANCHOR_DIR  the audit anchor's signing key and checkpoint store
                  (docs/adr/0013); the demo and tests generate a key and keep checkpoints under var/.
"""

import base64
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XUNCHA_VAR_DIR", BASE_DIR / "var"))
# Keys the demo and the tests generate (no XUNCHA_*_KEY_FILE set) live apart from var/ (database, files, logs),
# so that a copy of the data directory never carries them (xuncha/core/keyfiles.py).
KEY_DIR = Path(os.environ.get("XUNCHA_KEY_DIR") or BASE_DIR / "keys")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _local_secret_key() -> str:
    """A per-checkout secret for the demo and tests, generated once and kept in var/."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _local_key_file(name: str) -> str:
    """A signing key for the demo and tests (base64 of 32 random bytes, an Ed25519 seed), made once in KEY_DIR."""
    path = KEY_DIR / name
    legacy = VAR_DIR / "keys" / name
    if not path.exists() and legacy.exists():  # made by an older checkout
        path.parent.mkdir(parents=True, exist_ok=True)
        legacy.rename(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return str(path)


DEBUG = env_bool("XUNCHA_DEBUG", False)
TLS = env_bool("XUNCHA_TLS", True)
DEMO = env_bool("XUNCHA_DEMO", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("XUNCHA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "xuncha.core",
    "xuncha.accounts",
    "xuncha.orgs",
    "xuncha.planning",
    "xuncha.fieldwork",
    "xuncha.petitions",
    "xuncha.findings",
    "xuncha.ferry",
    "xuncha.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xuncha.core.hidden_chars.HiddenCharsMiddleware",
    "xuncha.core.access.AccessMiddleware",
]

WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xuncha.core.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'xuncha.sqlite3'}",
        conn_max_age=int(os.environ.get("XUNCHA_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # WAL lets readers go on beside the one writer; a writer waits up to 20 s for the lock instead of
        # failing at once with "database is locked" (the worker retries what still fails).
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after 30 idle minutes and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("XUNCHA_SESSION_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "xuncha.core.views.csrf_failure"

SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS
SECURE_SSL_REDIRECT = TLS
SECURE_HSTS_SECONDS = 31536000 if TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = TLS
SECURE_HSTS_PRELOAD = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TLS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # Preloading HSTS registers the host with browser vendors on the internet; these
    # systems live on closed networks, so it is deliberately off.
    "security.W021",
    # The near-duplicate band index covers petition_id on PostgreSQL (index-only lookups); the
    # embedded SQLite of the demo simply ignores the extra column.
    "models.W040",
]

# Nothing is loaded from outside: the policy allows this origin only.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed static files in production (after collectstatic); plain finders for tests.
STATIC_MANIFEST = env_bool("XUNCHA_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Sealed files (core/sealed_files.py, ADR 0015): encrypted chunk by chunk before they get here. Where
    # a deployment outgrows one machine, point this at S3-compatible object storage (e.g. MinIO) with
    # django-storages: {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": …,
    # "endpoint_url": …}}; the database keeps each object's name and digest either way.
    "sealed": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("XUNCHA_SEALED_DIR") or str(VAR_DIR / "sealed")},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if not STATIC_MANIFEST
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
MEDIA_ROOT = VAR_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("XUNCHA_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Petition sealing (docs/adr/0006). An internet-facing intake node runs with XUNCHA_NODE=intake and
# holds only the public key; the internal system holds the private key in a file outside the database.
NODE = os.environ.get("XUNCHA_NODE", "internal")
# The internet-facing node serves only the public channel, sign-in and the bundle export.
ROOT_URLCONF = "config.intake_urls" if NODE == "intake" else "config.urls"
PETITION_PUBLIC_KEY = os.environ.get("XUNCHA_PETITION_PUBLIC_KEY", "")
# A keyring (docs/adr/0009): one base64 key a line, the first current, the others retired but still opening
# older values until `manage.py petition_keys rewrap` has re-sealed them.
PETITION_PRIVATE_KEY_FILE = os.environ.get("XUNCHA_PETITION_PRIVATE_KEY_FILE", "")
# The secret of keyed features (duplicate signatures, learned category counts), pinned apart from the ring so
# rotating or removing keys leaves them matching; unset, it is derived from the file's last (oldest) key.
PETITION_FEATURE_KEY_FILE = os.environ.get("XUNCHA_PETITION_FEATURE_KEY_FILE", "")
# One-way transfer: the intake node signs bundles with its Ed25519 key; the internal side verifies.
BUNDLE_SIGNING_KEY_FILE = os.environ.get("XUNCHA_BUNDLE_SIGNING_KEY_FILE", "")
BUNDLE_VERIFY_KEY = os.environ.get("XUNCHA_BUNDLE_VERIFY_KEY", "")
# The optional return channel: the internal side signs reporters' views, the intake node verifies them.
REPLY_SIGNING_KEY_FILE = os.environ.get("XUNCHA_REPLY_SIGNING_KEY_FILE", "")
REPLY_VERIFY_KEY = os.environ.get("XUNCHA_REPLY_VERIFY_KEY", "")
# Demo and tests generate a local key pair under var/ when none is configured.
PETITION_LOCAL_KEYS = not PETITION_PUBLIC_KEY and not PETITION_PRIVATE_KEY_FILE

# TOTP secrets are encrypted at rest (docs/adr/0012) under a key kept outside the database: a file holding one
# base64 32-byte key. Unset (demo, tests), one is generated in KEY_DIR, apart from var/ and its SQLite file.
TOTP_KEY_FILE = os.environ.get("XUNCHA_TOTP_KEY_FILE", "")

# The address printed in QR codes: the intake node's public URL (defaults to the requesting host).
PUBLIC_BASE_URL = os.environ.get("XUNCHA_PUBLIC_BASE_URL", "")

# Reverse proxies in front of the platform whose X-Forwarded-For is trusted (0: none).
# How many reverse proxies stand in front (throttling reads the client's address behind them); None when
# unset, which a deploy check refuses to leave unsaid.
TRUSTED_PROXY_HOPS = int(hops) if (hops := os.environ.get("XUNCHA_TRUSTED_PROXY_HOPS", "")) else None

# A reporter's files stay in memory until they are scrubbed and sealed: an original photo or video must
# never be written to the server's disk. Up to the largest report (attachments.MAX_TOTAL) and a margin;
# the proxy in front should refuse bodies above this. The transfer page alone spools its sealed bundles.
# Files over a limit are measured but not kept, so they are refused by name, never dropped (core/upload_handler.py).
FILE_UPLOAD_HANDLERS = ["xuncha.core.upload_handler.BoundedMemoryUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 160 * 1024 * 1024
# The typed fields of one form (not its files): room for an over-long text to come back with its error
# (a petition holds at most 5,000 characters); beyond this the Chinese 400 page says what was too large.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

# The audit anchor (docs/adr/0013): signed checkpoints of the audit chain's head, outside the database. The
# key file must not be readable by the database's operators; the directory should be append-only storage
# (WORM, or a mount only this service writes). Checkpoints are also logged on "xuncha.audit.anchor", which
# production may route to syslog or a remote collector.
AUDIT_ANCHOR_KEY_FILE = os.environ.get("XUNCHA_AUDIT_ANCHOR_KEY_FILE") or _local_key_file("audit_anchor.key")
AUDIT_ANCHOR_DIR = os.environ.get("XUNCHA_AUDIT_ANCHOR_DIR") or str(VAR_DIR / "audit_anchor")
# Unset names, for the deploy check.
AUDIT_ANCHOR_UNSET = [n for n in ("XUNCHA_AUDIT_ANCHOR_KEY_FILE", "XUNCHA_AUDIT_ANCHOR_DIR") if not os.environ.get(n)]
# A checkpoint is queued this long after the first audit event it will cover.
AUDIT_CHECKPOINT_SECONDS = int(os.environ.get("XUNCHA_AUDIT_CHECKPOINT_SECONDS", "300"))

# Throttling counters (public intake) live in the cache: Redis in production, memory otherwise.
if os.environ.get("XUNCHA_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["XUNCHA_REDIS_URL"],
        }
    }

# Logs carry no request bodies and no query parameters: petition content and reporter
# identity must never reach them (see docs/adr/0003).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_queries": {"()": "xuncha.core.logfilters.QueryStringFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_queries"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("XUNCHA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Font subsetting logs glyph lists at INFO: noise, and a hint of the text set.
        "fontTools": {"level": "WARNING"},
        # Pillow logs each metadata tag of a photo at DEBUG, before scrubbing: a reporter's name or device.
        "PIL": {"level": "WARNING"},
        # A missing template variable is logged at DEBUG with the whole context (a reporter's page).
        "django.template": {"level": "INFO"},
    },
}
ADMINS: list[tuple[str, str]] = []
