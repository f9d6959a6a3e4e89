"""ACC Desk settings: one file, configured only by environment variables.

Every variable is documented in docs/configuration.md (a test enforces it). With no
variables set, ACC Desk runs on SQLite under ./data/ with a generated secret key.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from accdesk.lib.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data"))).resolve()

SECRET_KEY = env_secret("SECRET_KEY", generated_file=DATA_DIR / "secret_key")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "accdesk.access.admin_site.AccDeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "accdesk.core",
    "accdesk.access",
    "accdesk.agency",
    "accdesk.jobs",
    "accdesk.dashboard",
    "accdesk.changes",
    "accdesk.personnel",
    "accdesk.evidence",
    "accdesk.agreements",
    "accdesk.terminals",
    "accdesk.releaselogs",
    "accdesk.investigations",
    "accdesk.incidents",
    "accdesk.querylogs",
    "accdesk.validations",
    "accdesk.audits",
    "accdesk.deadlines",
    "accdesk.demo",
    # The stored worklist (issue 18): a cache of the roster's rules, after the
    # apps whose records feed them.
    "accdesk.personnel.worklistcache",
    # accdesk backup / restore (SECURITY.md).
    "accdesk.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Issue 11: no page or download is kept by a browser or proxy cache.
    "accdesk.access.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads (and stores) a multipart body: who may upload, and
    # how much, is decided before the body is read (agency/upload_gate.py).
    "accdesk.agency.upload_gate.UploadGateMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accdesk.access.middleware.SessionLockMiddleware",
    # Every page needs a signed-in user unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accdesk.core.middleware.RequestActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "accdesk.urls"
WSGI_APPLICATION = "accdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accdesk.dashboard.navigation.navigation",
                "accdesk.dashboard.navigation.back_link",
                "accdesk.access.context_processors.session_lock",
                "accdesk.jobs.context_processors.alerts",
            ],
            # Dates, numbers, plurals and labels for every template, no {% load %}.
            "builtins": ["accdesk.core.templatetags.desk"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'accdesk.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web server, import commands) share one SQLite file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
LOGIN_URL = "access:signin"
LOGIN_REDIRECT_URL = "dashboard:home"

# IA-5(1)(d): passwords are stored as salted hashes from a one-way key-derivation
# function; argon2 first, the others only to read (and upgrade) older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# IA-5(1)(a): at least 8 characters, checked against a list of common passwords.
# ACCDESK_BANNED_PASSWORDS_FILE points at the agency's own list (update quarterly).
_banned = env_str("ACCDESK_BANNED_PASSWORDS_FILE")
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if _banned:
    AUTH_PASSWORD_VALIDATORS.append(
        {
            "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
            "OPTIONS": {"password_list_path": _banned},
        }
    )

# Sign-in hardening. Each value cites the CJISSECPOL v5.9.5 control it implements;
# the environment may make a value stricter, never looser.
LOCKOUT_ATTEMPTS = env_int("ACCDESK_LOCKOUT_ATTEMPTS", 5, minimum=1, maximum=5)  # AC-7
LOCKOUT_WINDOW_MINUTES = env_int("ACCDESK_LOCKOUT_WINDOW_MINUTES", 15, minimum=15)
IDLE_LOCK_MINUTES = env_int("ACCDESK_IDLE_LOCK_MINUTES", 30, minimum=1, maximum=30)
REAUTH_HOURS = env_int("ACCDESK_REAUTH_HOURS", 12, minimum=1, maximum=12)  # IA-5
OTP_TOTP_ISSUER = "ACC Desk"
# Never show TOTP keys or recovery codes in the admin (IA-5); ACC Desk replaces
# django-otp's admin pages anyway (access/admin.py), this guards their views.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# django-otp's own back-off would make a mistyped code fail again seconds later;
# the AC-7 lockout above already limits guessing to 5 attempts.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
MFA_STEP_SECONDS = 300  # time allowed between the password step and the code step

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The idle lock and re-authentication are enforced on the server
# (SessionLockMiddleware), never by cookie expiry alone (IA-5-o).
SESSION_COOKIE_AGE = REAUTH_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# HTTPS: on by default. `make run` turns it off to serve http://127.0.0.1:8000.
HTTPS = env_bool("ACCDESK_HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = (
    env_int("ACCDESK_HSTS_SECONDS", 31536000, minimum=0) if HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("ACCDESK_BEHIND_PROXY", False):
    # The TLS reverse proxy sets X-Forwarded-Proto; trust it only when told to.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline scripts or styles, nothing from other origins (agency networks are
# often closed, and it limits what an injected string could do).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Third-party release log: 11 CCR §707(c) keeps it at least 3 years; an agency may
# keep it longer, never shorter. Its HMAC key is read on first use (releaselogs/
# chain.py: ACCDESK_RELEASELOG_KEY or _FILE, else DATA_DIR/keys/releaselog.key).
RELEASELOG_RETENTION_YEARS = env_int("ACCDESK_RELEASELOG_RETENTION_YEARS", 3, minimum=3)

# Limits on uploads and imported files (issue 11 item 8): checked before the work
# they bound, and each refusal names its variable. Query-log uploads have their own
# size (QUERYLOG_MAX_UPLOAD_MB, below); the rest apply to the roster files, the
# release log and misuse cases, uploaded or given to the `accdesk` command.
MAX_UPLOAD_MB = env_int("ACCDESK_MAX_UPLOAD_MB", 50, minimum=1)
IMPORT_MAX_ROWS = env_int("ACCDESK_IMPORT_MAX_ROWS", 200_000, minimum=1)
GZIP_MAX_RATIO = env_int("ACCDESK_GZIP_MAX_RATIO", 100, minimum=2)
GZIP_MAX_MB = env_int("ACCDESK_GZIP_MAX_MB", 1024, minimum=1)
XLSX_MAX_CELLS = env_int("ACCDESK_XLSX_MAX_CELLS", 5_000_000, minimum=1)

# Worklist reasons found by apps above the roster (see personnel/sources.py): one
# function per app, ``(agency, as_of, people) -> {employee_id: [Reason]}``.
WORKLIST_SOURCES: list[str] = [
    "accdesk.agreements.sources.addendum_missing",
    "accdesk.terminals.sources.key_not_returned",
    "accdesk.incidents.sources.ir_training_expired",
    "accdesk.incidents.sources.incident_retraining_due",
]

# Import formats of apps above the roster for `accdesk import KIND FILE` (see
# personnel/management/commands/import.py): dotted paths of ``ImportFormat``s.
IMPORT_FORMATS: list[str] = [
    "accdesk.agreements.imports.AGREEMENTS",
    "accdesk.terminals.imports.TERMINALS",
    "accdesk.validations.imports.VALIDATIONS",
]

# Record validations and DOJ audits (accdesk/validations, accdesk/audits, issue 14).
# The property files need only the first (60-90-day) validation: the NCIC text is
# cut off, so this is an inference an agency can change (docs/validations.md).
VALIDATION_FIRST_ONLY_FILES = env_list(
    "ACCDESK_VALIDATION_FIRST_ONLY_FILES",
    [
        "stolen_vehicle",
        "vehicle_part",
        "license_plate",
        "boat",
        "gun",
        "securities",
        "article",
    ],
)
# Days after the list date when NCIC would purge an unvalidated record: an estimate
# for the purge warning (the exact schedule is not published).
VALIDATION_PURGE_DAYS = env_int("ACCDESK_VALIDATION_PURGE_DAYS", 60, minimum=31)
# Records drawn for a database audit's sample (issue 14: about 50).
AUDIT_SAMPLE_SIZE = env_int("ACCDESK_AUDIT_SAMPLE_SIZE", 50, minimum=1)

# Paper of the PDFs (notices, reports, inspection exports): US letter, or A4. The
# print layout fits both; this only picks the page size written into the file.
PAPER_SIZE = env_str("ACCDESK_PAPER_SIZE", "letter").lower()
if PAPER_SIZE not in ("letter", "a4"):
    raise ConfigurationError("ACCDESK_PAPER_SIZE must be letter or a4")

LANGUAGE_CODE = "en-us"
# Calendar dates and deadlines are in the agency's time zone; this is the default
# for new agencies. Everything is stored in UTC.
TIME_ZONE = env_str("ACCDESK_TIME_ZONE", "America/Los_Angeles")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the package before collectstatic

# E-mail: reminders, the weekly digest and integrity alerts (accdesk/deadlines,
# accdesk/jobs). With no EMAIL_HOST, messages are printed by the process that sends
# them (the worker) instead: `make run` shows them in its output.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigurationError(
        "EMAIL_USE_TLS (STARTTLS, port 587) and EMAIL_USE_SSL (implicit TLS, port "
        "465) exclude each other: set one to 0"
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
EMAIL_SUBJECT_PREFIX = "[ACC Desk] "
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "accdesk@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# Links in e-mails and in the calendar feed point here (no request to read it from).
BASE_URL = env_str("ACCDESK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background jobs (accdesk/jobs): django-tasks with its database backend, so an
# agency runs no broker; `accdesk worker` runs them and the periodic schedule.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOB_RETRIES = env_int("ACCDESK_JOB_RETRIES", 3, minimum=0, maximum=10)

# CORI/III query-log audit (accdesk/querylogs). The archive holds subject names and
# dates of birth: it is encrypted with AES-256 (SC-28) under this key, which stays
# outside the database. Back it up apart from the archive: without it the archive
# cannot be read.
QUERYLOG_ARCHIVE_KEY = env_secret(
    "ACCDESK_QUERYLOG_KEY", generated_file=DATA_DIR / "keys" / "querylog_archive.key"
)
if len(QUERYLOG_ARCHIVE_KEY) < 32:
    raise ConfigurationError(
        "ACCDESK_QUERYLOG_KEY must be at least 32 characters (256 bits of key)"
    )
# Kept 3 years by default (the DOJ audit cycle); never less than 1 (AU-11).
QUERYLOG_RETENTION_YEARS = env_int("ACCDESK_QUERYLOG_RETENTION_YEARS", 3, minimum=1)
QUERYLOG_MAX_UPLOAD_MB = env_int("ACCDESK_QUERYLOG_MAX_UPLOAD_MB", 2048, minimum=1)
QUERYLOG_MEMORY_LIMIT_MB = env_int(
    "ACCDESK_QUERYLOG_MEMORY_LIMIT_MB", 1536, minimum=256
)  # DuckDB's working memory; beyond it, it spills to DATA_DIR/tmp
# Query-log rules and pages (issues 17, 18): RELEASE_NOT_LOGGED looks for a
# release-log entry this many days either side of the inquiry (11 CCR §707(c));
# decrypted archive chunks are cached in memory up to this size per process (never
# on disk); the first findings of each month kept in the database for the pages.
QUERYLOG_RELEASE_WINDOW_DAYS = env_int(
    "ACCDESK_QUERYLOG_RELEASE_WINDOW_DAYS", 7, minimum=0
)
QUERYLOG_CHUNK_CACHE_MB = env_int("ACCDESK_QUERYLOG_CHUNK_CACHE_MB", 64, minimum=0)
QUERYLOG_SUMMARY_FINDINGS = env_int(
    "ACCDESK_QUERYLOG_SUMMARY_FINDINGS", 1000, minimum=0
)

# Evidence files (accdesk/evidence): signed agreements, diagrams, inspection photos.
# Stored encrypted with AES-256 (SC-28) under their own key, outside the database;
# back it up apart from DATA_DIR/evidence/, as the query-log key.
EVIDENCE_KEY = env_secret(
    "ACCDESK_EVIDENCE_KEY", generated_file=DATA_DIR / "keys" / "evidence.key"
)
if len(EVIDENCE_KEY) < 32:
    raise ConfigurationError(
        "ACCDESK_EVIDENCE_KEY must be at least 32 characters (256 bits of key)"
    )
EVIDENCE_MAX_UPLOAD_MB = env_int(
    "ACCDESK_EVIDENCE_MAX_UPLOAD_MB", 25, minimum=1, maximum=512
)

# Security incidents (accdesk/incidents): a breach is reported to DOJ "immediately"
# (CA DOJ MOU, Exhibit E); the agency says what that means, in minutes from the
# moment the breach is confirmed or believed (never more than the 24 hours of a
# suspected incident).
INCIDENT_DOJ_BREACH_MINUTES = env_int(
    "ACCDESK_INCIDENT_DOJ_BREACH_MINUTES", 60, minimum=1, maximum=24 * 60
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # Issue 11: Django's own runserver access log, with search terms masked
        # (lib/logmask.py; gunicorn and nginx formats in SECURITY.md).
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_query"],
        },
    },
    "filters": {"mask_query": {"()": "accdesk.lib.logmask.MaskQuery"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every step of a PDF at INFO; only its problems matter.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
