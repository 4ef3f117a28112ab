"""One settings module, driven by environment variables with safe defaults.

Development needs no variables at all; production sets at least SECRET_KEY, ALLOWED_HOSTS,
DEBUG=0 and DATABASE_URL (see README).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("RIGHTSTRACK_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default, *, minimum, maximum=None):
    """A whole number from the environment; anything else, or one out of range, stops the start
    with the variable's name rather than running with a value nobody meant."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise ImproperlyConfigured(f"{name} must be {bounds}, not {value}.")
    return value


def _local_secret_key():
    # A development install gets a random key kept under var/, so no secret is ever committed.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
# Old keys still accepted for signatures made with them (sessions stay valid while a new key is
# rolled out); comma-separated, removed once the sessions they signed have expired. SECURITY.md.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = os.environ.get("SITE_NAME", "rightstrack")
# Absolute address of the site, for links in e-mails (reminders).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Where the real UN / UPR Info data lives (read by path, never copied into the repository).
SHARED_DATA_DIR = Path(
    os.environ.get("RIGHTSTRACK_DATA_DIR", PROJECT_DIR.parent / "shared" / "data")
)
SHARED_SEED_DIR = Path(
    os.environ.get("RIGHTSTRACK_SEED_DIR", PROJECT_DIR.parent / "shared" / "seed")
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "ninja",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "rightstrack.core",
    "rightstrack.jobs",
    "rightstrack.accounts",
    "rightstrack.notifications",
    "rightstrack.audit",
    "rightstrack.taxonomy",
    "rightstrack.presences",
    "rightstrack.recommendations",
    "rightstrack.plans",
    "rightstrack.progress",
    "rightstrack.activities",
    "rightstrack.intelligence",
    "rightstrack.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "rightstrack.core.middleware.RefuseOversizedUploadsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "rightstrack.core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rightstrack.accounts.middleware.SessionTimeoutMiddleware",
    "rightstrack.accounts.middleware.TwoFactorSetupMiddleware",
    "rightstrack.accounts.reauthentication.AdminReauthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "rightstrack.urls"
WSGI_APPLICATION = "rightstrack.wsgi.application"

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
                "rightstrack.core.context_processors.site",
                "rightstrack.notifications.context_processors.work",
            ],
        },
    },
]

# Widgets are drawn with the project's templates (Django's own found through django.forms), so
# that templates/django/forms/widgets/select.html, which writes a select's options in one tag
# rather than an include each, replaces Django's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Each process's own memory: what the recommendation list remembers per data version (counts,
# facets as shown, rendered rows; recommendations/counts.py). Django's default keeps 300
# entries, fewer than one busy list page needs; a row is a few KB.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 10_000, minimum=300)},
    }
}

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'rightstrack.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Other writers wait for SQLite's only write lock (an import's step, a save) up to
    # SQLITE_BUSY_TIMEOUT_SECONDS instead of failing.
    SQLITE_BUSY_TIMEOUT_SECONDS = env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 60, minimum=1)
    SQLITE_MMAP_BYTES = 1 << 30
    # The pages a write transaction changes stay in the connection's cache until it commits:
    # SQLite's default (2 MB) spilled an import's changed pages to the WAL and read them back
    # from there, twice its wall time at 250,000 recommendations held (bench/import_speed.py).
    # Only a writing connection fills it (reads go through the memory map).
    SQLITE_CACHE_KIB = 256 * 1024
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while an import writes; IMMEDIATE takes the write lock
        # at BEGIN, where waiting for it is safe (a lock upgrade mid-transaction fails at once).
        # A connection is kept between requests (CONN_MAX_AGE, as on PostgreSQL) and reads the
        # file through a memory map, which the processes share with the operating system's
        # cache instead of copying pages into each connection's own small cache.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        f"PRAGMA foreign_keys=ON; PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}; "
        f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}; PRAGMA cache_size=-{SQLITE_CACHE_KIB};",
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_SQLITE_NAME") or None}

# Jobs (rightstrack.jobs) write their progress and heartbeat while the work they report on holds
# a long write transaction on "default": they need a connection of their own, and on SQLite,
# where one writer excludes every other, a database file of their own. Tests share "default".
DATABASES["jobs"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
if DATABASES["jobs"]["ENGINE"] == "django.db.backends.sqlite3":
    _default_file = Path(DATABASES["default"]["NAME"])
    DATABASES["jobs"]["NAME"] = str(_default_file.with_name(f"{_default_file.stem}-jobs.sqlite3"))
DATABASE_ROUTERS = ["rightstrack.jobs.routers.JobsRouter"]
JOBS_DATABASE = "jobs"

# Background tasks (django-tasks): "database" runs them in `rightstrack worker` processes that
# take them from the database; "rq" through Redis (REDIS_URL) and RQ, for deployments with
# workers on several machines; "immediate" runs each at once in the process that asks for it
# (tests, one-off scripts). The job record (progress, heartbeat) lives in the jobs database
# whatever the backend.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
# The queue jobs go through: sites sharing one Redis (or one database) keep theirs apart.
JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "default").strip() or "default"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# Jobs have their own time ceiling (JOBS_TIME_LIMIT_SECONDS): RQ's own timeout is off.
# ("default" stays valid: it is where a task is declared, before it is sent to JOBS_QUEUE.)
_QUEUES = sorted({"default", JOBS_QUEUE})
RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": -1} for name in _QUEUES}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={TASKS_BACKEND!r}: choose one of {', '.join(TASK_BACKENDS)}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND], "QUEUES": _QUEUES}}
# A running job renews its heartbeat every JOBS_HEARTBEAT_SECONDS; one silent for longer than
# JOBS_LEASE_SECONDS has lost its worker and is marked failed.
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 10, minimum=1, maximum=300)
# At least three heartbeats fit in a lease, so one slow renewal never fails a live job.
# A worker checks for such jobs every JOBS_HEARTBEAT_SECONDS: a dead worker's job is failed at
# most lease + heartbeat after its last sign of life (40 s by default).
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 30, minimum=3 * JOBS_HEARTBEAT_SECONDS)
# Each job that a worker runs gets a process of its own, which may use this much memory beyond
# what the worker holds when it starts the job, and run this long; past either it is stopped
# and the job fails with a message saying so, while the worker goes on with the next job.
JOBS_MEMORY_LIMIT_MB = env_int("JOBS_MEMORY_LIMIT_MB", 4096, minimum=64)
JOBS_TIME_LIMIT_SECONDS = env_int("JOBS_TIME_LIMIT_SECONDS", 6 * 3600, minimum=1)
# Files that jobs make for a user (generated documents, large exports) are kept here for
# JOBS_FILES_RETENTION_HOURS after they are made, downloadable by that user only; a periodic job
# removes them then.
JOBS_FILES_DIR = Path(os.environ.get("JOBS_FILES_DIR", VAR_DIR / "job-files"))
JOBS_FILES_RETENTION_HOURS = env_int("JOBS_FILES_RETENTION_HOURS", 72, minimum=1)
# A list export of more rows than this is made by a job (the user gets a page with its progress
# and then the file); smaller ones stream at once. Anonymous visitors' exports always stream.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 20_000, minimum=0)
# The indexes of similar recommendations and search by meaning are built by a job once there are
# recommendations (after load-demo, an import, or when a worker starts and finds none), and kept
# current after every import. 0 leaves them to `rightstrack similarity build`.
INTELLIGENCE_AUTO_BUILD = env_bool("INTELLIGENCE_AUTO_BUILD", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Sign-in with username and password (the first one is what test clients' force_login uses).
    "django.contrib.auth.backends.ModelBackend",
    # API bearer tokens, asked by rightstrack.core.api_auth.
    "rightstrack.accounts.backends.ApiTokenBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A signed-in session ends after this long without a request (idle) and this long after the
# sign-in whatever happens (absolute); staff, who can change everything, idle out sooner.
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env_int(
    "SESSION_ABSOLUTE_TIMEOUT_SECONDS", 12 * 3600, minimum=300, maximum=30 * 24 * 3600
)
SESSION_IDLE_TIMEOUT_SECONDS = env_int(
    "SESSION_IDLE_TIMEOUT_SECONDS",
    min(2 * 3600, SESSION_ABSOLUTE_TIMEOUT_SECONDS),
    minimum=60,
    maximum=SESSION_ABSOLUTE_TIMEOUT_SECONDS,
)
STAFF_SESSION_IDLE_TIMEOUT_SECONDS = env_int(
    "STAFF_SESSION_IDLE_TIMEOUT_SECONDS",
    min(30 * 60, SESSION_IDLE_TIMEOUT_SECONDS),
    minimum=60,
    maximum=SESSION_IDLE_TIMEOUT_SECONDS,
)
# The cookie itself does not outlive the absolute timeout.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS

# Failed sign-ins (passwords and two-factor codes) allowed within the window before refusing:
# per account name from one address, and per address over all names (trying many accounts).
# An account is never locked by failures from other addresses.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=1000)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int(
    "LOGIN_ADDRESS_FAILURE_LIMIT", max(50, LOGIN_FAILURE_LIMIT), minimum=LOGIN_FAILURE_LIMIT
)
LOGIN_FAILURE_WINDOW_SECONDS = env_int(
    "LOGIN_FAILURE_WINDOW_SECONDS", 900, minimum=60, maximum=7 * 24 * 3600
)
# Past a limit, each further failure doubles the wait before the next try, starting here and
# never longer than the window: an attacker slows down, a user who mistyped waits seconds.
LOGIN_FAILURE_DELAY_SECONDS = env_int(
    "LOGIN_FAILURE_DELAY_SECONDS", 30, minimum=1, maximum=LOGIN_FAILURE_WINDOW_SECONDS
)
# Security-sensitive changes (users, roles, two-factor set-up, the admin) need a sign-in or a
# password confirmation at most this old.
REAUTHENTICATION_MAX_AGE_SECONDS = env_int(
    "REAUTHENTICATION_MAX_AGE_SECONDS", 900, minimum=60, maximum=24 * 3600
)
# A browser where an account signed in before is a known device for this long: its tries are
# counted apart from the address's, so others' failures cannot lock the owner out of it.
KNOWN_DEVICE_COOKIE_AGE_SECONDS = env_int(
    "KNOWN_DEVICE_COOKIE_AGE_SECONDS", 180 * 24 * 3600, minimum=3600, maximum=400 * 24 * 3600
)
# Administrators and coordinators must sign in with an authenticator app as a second factor;
# 0 makes it optional for them (e.g. a local demo). Everybody else may turn it on.
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", True)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("be", _("Belarusian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
# Dates and times in one style per language: rightstrack/core/formats/.
FORMAT_MODULE_PATH = "rightstrack.core.formats"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads (evidence files) live outside the web root and are served only through views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "uploads"))
MEDIA_URL = None

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rightstrack@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Every page loads its scripts, styles and images from this site only: no inline script or style
# (HTMX's own indicator style is turned off in base.html and lives in the stylesheet), no
# plugins, no framing, forms post here only. The API documentation page relaxes styles only
# (rightstrack/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and env_bool("HTTPS", False))
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", env_bool("HTTPS", False))
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", env_bool("HTTPS", False))
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Files people give us are hostile until read (rightstrack.core.intake): the largest upload of a
# file to import; the most a zip container (.docx, .xlsx) may decompress to, and by how many
# times it may expand; the longest line of a text file (CSV, a report's text). Each breach is a
# clear refusal naming the variable, and nothing is written.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_MB", 50, minimum=1, maximum=4096) * 2**20
IMPORT_ZIP_MAX_BYTES = env_int("IMPORT_ZIP_MAX_MB", 200, minimum=1, maximum=16384) * 2**20
IMPORT_ZIP_MAX_RATIO = env_int("IMPORT_ZIP_MAX_RATIO", 100, minimum=10, maximum=10000)
IMPORT_MAX_LINE_BYTES = env_int("IMPORT_MAX_LINE_KB", 1024, minimum=16, maximum=256 * 1024) * 1024
# An import of recommendations writes in steps, each a transaction of its own holding the write
# lock about IMPORT_STEP_MS milliseconds, with a rest of IMPORT_STEP_REST_PERCENT of that
# between two in which others' saves take their turn (SQLite's waiting writers poll). PostgreSQL
# only locks the rows written, so there a step is a whole chunk (IMPORT_STEP_MS 0) with no rest.
# What each step changed is noted (an undo log) so that an import that fails half way is taken
# back whole.
_ON_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
IMPORT_STEP_MILLISECONDS = env_int(
    "IMPORT_STEP_MS", 200 if _ON_SQLITE else 0, minimum=0, maximum=60_000
)
IMPORT_STEP_REST = (
    env_int("IMPORT_STEP_REST_PERCENT", 25 if _ON_SQLITE else 0, minimum=0, maximum=1000) / 100
)

# A request's body other than files (form fields, an API's JSON) is held in memory, up to 10 MB.
# An uploaded file larger than 2.5 MB goes to a temporary file while it is received, never to
# memory; how large a file may be at all is IMPORT_MAX_UPLOAD_BYTES (and the evidence limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
