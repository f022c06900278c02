"""Settings for Sổ tay, read from the environment.

With no environment at all this is the embedded default: SQLite in the project folder,
background tasks run eagerly, no Redis. Production overlays live in `production.py`.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = os.environ.get("DEBUG", "1") == "1"
# The embedded default is for one person's machine; production.py refuses this key.
SECRET_KEY = os.environ.get("SECRET_KEY", "sotay-embedded-default-not-for-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "ninja",
    "axes",
    "common",
    "orgunits",
    "members",
    "accounts",
    "audit",
    "corrections",
    "rollout",
    "notifications",
    "notices",
    "library",
    "meetings",
    "dues",
    "rating",
    "transfers",
    "cards",
    "guide",
    "study",
    "admission",
    "residence",
    "questions",
    "reports",
    "handbook",
    "demo",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.SecurityHeadersMiddleware",
    "common.middleware.NullCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # In place of Django's LocaleMiddleware: the account's language, never the browser's (accounts/language.py).
    "accounts.language.LanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.middleware.ChangeContextMiddleware",
    # Axes must be last: it answers locked-out sign-ins itself.
    "axes.middleware.AxesMiddleware",
]

# Only our own files: no inline script or style, no other origin (common/middleware.py).
CONTENT_SECURITY_POLICY = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "worker-src": ("'self'",),
    "manifest-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'none'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}
# Meeting codes are scanned by the phone's own camera app, so no page asks for the camera or anything else.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "sotay.urls"
WSGI_APPLICATION = "sotay.wsgi.application"
ASGI_APPLICATION = "sotay.asgi.application"

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
                "accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# A PostgreSQL read replica for the heavy read-only work (common/routers.py), when one is configured.
DATABASE_ROUTERS = ["common.routers.ReplicaRouter"]
READ_REPLICA = None
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    READ_REPLICA = "replica"
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql" and os.environ.get("POSTGRES_JIT", "off") == "off":
        # Our queries are short: compiling a plan whose estimate passes jit_above_cost (a search over the whole
        # country) took ≈ 150 ms, several times the query itself. POSTGRES_JIT=on leaves the server's setting.
        _database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a long import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out identity is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.IdentifierBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Django's checks with our wording (accounts/password_validation.py: one form of address, our catalogue).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.NumericPasswordValidator"},
]

# A refused form (expired or missing CSRF token) explains itself in the site's layout and language.
CSRF_FAILURE_VIEW = "common.errors.csrf_failure"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Two-factor sign-in (accounts/two_factor.py): required for the roles that read or export members' records
# beyond one cell, viewers included (docs/security.md, "Who sees personal data").
# Turn off only to try the demo without an authenticator app (`TWO_FACTOR_ENFORCED=0 make run`); production
# settings always enforce it.
TWO_FACTOR_ENFORCED = os.environ.get("TWO_FACTOR_ENFORCED", "1") == "1"
TWO_FACTOR_REQUIRED_ROLES = ("committee_officer", "committee_admin", "viewer")
# How long an API token works after it is issued; a lost phone's token stops on its own.
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "14"))
OTP_TOTP_ISSUER = "Sổ tay đảng viên"
# A wrong code makes the device wait 1, 2, 4, 8 ... seconds before it accepts another (django-otp).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Report campaigns with more targets than this are pre-filled by a background task (reports/services.py).
REPORTS_INLINE_PREFILL_LIMIT = 300
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))

# django-axes: lock the account, whichever identifier names it and however it is spelt (the callable maps the
# typed text to the resolved account). Not the IP through axes: axes has one failure limit for every parameter,
# so an IP lock would shut a commune office or a cell meeting behind one NAT after five mistyped passwords, and
# with AXES_RESET_ON_SUCCESS one good sign-in from that IP would wipe every account's count made from it.
# Source addresses have their own, much higher limit instead (accounts.backends, accounts.activation_codes): failed
# sign-ins and wrong activation codes from one address within the cool-off time.
ADDRESS_FAILURE_LIMIT = int(os.environ.get("ADDRESS_FAILURE_LIMIT", "100"))
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Locking by IP too would lock a whole cell meeting sharing one Wi-Fi after five mistyped passwords.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["sotay.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "common.cache.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions are read on every request: from Redis, shared by every app process; written through to the
    # database, so a Redis restart signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How long a member's home page may be kept between visits (handbook/home_cache.py), and a user's roles between
# requests (accounts/scoping.py); 0 keeps none.
HOME_CACHE_SECONDS = int(os.environ.get("HOME_CACHE_SECONDS", "600"))
# Whether the member's home is also kept whole, over the parts it is assembled from (handbook/home_parts.py); off,
# every visit assembles it from the kept parts (benchmarks/README.md, section 4).
HOME_PAGE_KEPT_WHOLE = os.environ.get("HOME_PAGE_KEPT_WHOLE", "1") == "1"
# How many rendered cards and page shells of members' homes each process keeps (handbook/home_fragments.py; 0: none).
HOME_FRAGMENTS_KEPT = int(os.environ.get("HOME_FRAGMENTS_KEPT", "2000"))
ROLES_KEPT_SECONDS = int(os.environ.get("ROLES_KEPT_SECONDS", "600"))

# Celery: a real broker when REDIS_URL is set, otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Periodic work, run by `celery -A sotay beat` beside the worker (README: production). Without a broker, run the
# matching management commands from cron instead (each task has one).
CELERY_BEAT_SCHEDULE = {
    "publish-due-notices": {"task": "notices.tasks.notices_publish_due", "schedule": 60.0},
    "generate-meeting-series": {
        "task": "meetings.tasks.series_generate_all_task",
        "schedule": crontab(hour=1, minute=0),
    },
    "escalate-overdue-corrections": {
        "task": "corrections.tasks.escalate_overdue_corrections",
        "schedule": crontab(hour=1, minute=30),
    },
    "send-report-reminders": {"task": "reports.tasks.send_report_reminders", "schedule": crontab(hour=7, minute=0)},
    "send-rating-reminders": {"task": "rating.tasks.send_rating_reminders", "schedule": crontab(hour=7, minute=5)},
    "send-transfer-reminders": {
        "task": "transfers.tasks.send_transfer_reminders",
        "schedule": crontab(hour=7, minute=10),
    },
    "send-probation-reminders": {
        "task": "admission.tasks.send_probation_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    "send-study-reminders": {"task": "study.tasks.send_study_reminders", "schedule": crontab(hour=7, minute=20)},
    "check-rollout-counters": {"task": "rollout.tasks.rollout_counters_check", "schedule": crontab(hour=3, minute=0)},
    "check-data-quality": {"task": "members.tasks.quality_refresh_task", "schedule": crontab(hour=2, minute=0)},
}

# Absolute links in e-mails and text messages.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sổ tay <no-reply@localhost>")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Outside channels of notifications besides the in-app inbox (notifications/channels.py).
NOTIFICATION_CHANNELS = [
    "notifications.channels.EmailChannel",
    "notifications.channels.SmsChannel",
    "notifications.channels.WebPushChannel",
]
# A notice is new in a member's inbox (unread, fan-out on read) for this many days after it came out; older ones are
# in the notices list only, so that a member who moves or takes a new role is not flooded with the new chain's past.
NOTICE_INBOX_CATCH_UP_DAYS = int(os.environ.get("NOTICE_INBOX_CATCH_UP_DAYS", "30"))
# Web Push (VAPID): `manage.py vapid_keys` prints a pair. Without both keys Web Push is simply off.
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
# Who the push services may contact about our messages: a mailto: or https: address.
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:admin@localhost")

MEMBER_LIST_PAGE_SIZE = 50
# Member lists (searched or not) count their members exactly up to this many, say "more than" past it, and page
# through the first this many only.
MEMBER_LIST_COUNT_CAP = 10_000
# Past this many members by the planner's estimate (PostgreSQL), a member list is not counted at all: it says "more
# than MEMBER_LIST_COUNT_CAP" on the estimate's word. Ten times the cap: the estimate would have to be ten times
# too high to mislead, and then the list's pages show where it ends (common.pagination.capped_rows_and_total).
MEMBER_LIST_ESTIMATE_TRUSTED_ABOVE = 10 * MEMBER_LIST_COUNT_CAP
API_PAGE_SIZE_MAX = 200
# Supporting papers of correction requests (JPEG, PNG, PDF), stored under MEDIA_ROOT, never served as static.
CORRECTIONS_ATTACHMENT_MAX_BYTES = int(os.environ.get("CORRECTIONS_ATTACHMENT_MAX_BYTES", str(5 * 1024 * 1024)))
# Roster imports (members/importing): each limit refuses the file with a message naming it. A province's roster of
# 100,000 members is about 15 MB as CSV and 60 MB of sheet XML inside its XLSX.
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", str(30 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "200"))
IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = int(os.environ.get("IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024)))
# The preview checks a large file's rows in this many processes (members/importing/parallel.py); 1 checks them in
# the preview's own process. Two by default where there are two cores: on a quiet 2-core box two workers nearly
# halve the check (benchmarks/README.md, roster import section 9); under a heavy load of other work they gained
# nothing. A file of one chunk starts no worker.
IMPORT_PREVIEW_PROCESSES = int(os.environ.get("IMPORT_PREVIEW_PROCESSES", str(min(2, os.cpu_count() or 1))))
# The commit writes this many batches at once on PostgreSQL, each on its own connection, committed in order: the
# database's work on two cores (benchmarks/README.md, roster import section 11).
IMPORT_COMMIT_CONNECTIONS = int(os.environ.get("IMPORT_COMMIT_CONNECTIONS", str(min(2, os.cpu_count() or 1))))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
