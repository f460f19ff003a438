"""Settings shared by every environment, read from the environment variables in docs/contract.md."""

import hashlib
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# Absolute base for links that leave the site: emails, calendar files, QR-free badge links. Unset, it is the
# address gunicorn binds (PORT, as bin/serve and gunicorn.conf.py use it), so that links reach this server.
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "home",
    "conference",
    "programme",
    "proposals",
    "registration",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Outermost: a read whose database connection broke is served again on a fresh one (conference/faults.py).
    "conference.faults.RetryReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Right below WhiteNoise (which serves its own precompressed static files) and above everything that
    # reads or changes the body, so that it compresses the final answer. The page cache sends its stored copies
    # already encoded (conference/precompressed.py), which it leaves alone. What it leaves alone because of
    # BREACH: conference/compression.py.
    "conference.compression.TextCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "conference.accounts.VerifiedEmailAdminMiddleware",
    "conference.accounts.AdminAccessMiddleware",
    # Its 400 page is a site page in the visitor's language (after locale and user), before any view reads input.
    "conference.text_input.StorableInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Below XFrameOptionsMiddleware so that it sets the admin's SAMEORIGIN (preview iframes) first.
    "conference.middleware.SecurityHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "conference.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "conference.context_processors.site_chrome",
                # Last: replaces the CSRF token by a marker in pages rendered for the shared page cache.
                "programme.context_processors.shared_page",
            ],
        },
    },
]

WSGI_APPLICATION = "conference.wsgi.application"

# Database: SQLite in var/ by default, PostgreSQL (or anything dj-database-url reads) from DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets gunicorn workers read while one writes; IMMEDIATE takes the write lock up front so that
    # two workers never deadlock upgrading a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: every worker and every manage.py process must see the same cache (docs/contract.md), so never a
# per-process one: Redis when REDIS_URL is set, otherwise a file cache in var/. Both are guarded
# (conference/cache_backends.py): a failing cache makes pages slower, not broken.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds a Redis connect or command may take before the cache counts as failing (a hung Redis must not hold
# requests: conference/cache_backends.py then rests the cache for a few seconds and pages go on without it).
CACHE_TIMEOUT_SECONDS = float(os.environ.get("CACHE_TIMEOUT_SECONDS", "0.25"))


def installation_key_prefix(database):
    """The default CACHE_KEY_PREFIX: what every app server, worker and manage.py command of one installation shares
    and no other installation does, its database (engine, host, port, name; not the password, which may rotate).
    Not SITE_URL: unset it follows PORT, and a command run from a shell without PORT must still retire the pages
    the servers keep."""
    parts = [str(database.get(name) or "") for name in ("ENGINE", "HOST", "PORT", "NAME")]
    return "site-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


# Every key of every cache starts with it (Django's KEY_PREFIX), so that two installations sharing one Redis or one
# cache folder never read each other's pages, programmes or sessions. Set it when the servers of one installation
# reach its database by different addresses (e.g. each app server by another host name).
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX") or installation_key_prefix(DATABASES["default"])
# What this deployment renders with (conference/build_identity.py): a version the deploy supplies, else a content
# hash of the code, templates, static files and translations. It starts every cached page's generation.
BUILD_ID = os.environ.get("BUILD_ID", "")


def CACHES_FOR_REDIS(url, key_prefix=CACHE_KEY_PREFIX):  # noqa: N802 - a settings helper, named like the setting
    return {
        "BACKEND": "conference.cache_backends.GuardedRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {"socket_timeout": CACHE_TIMEOUT_SECONDS, "socket_connect_timeout": CACHE_TIMEOUT_SECONDS},
    }


def CACHES_FOR_FOLDER(folder, key_prefix=CACHE_KEY_PREFIX):  # noqa: N802 - a settings helper, as above
    """A file cache in a folder of its own per installation under `folder`: the prefix keeps keys apart, the folder
    keeps apart what works on the whole folder (culling past MAX_ENTRIES, clear())."""
    return {
        "BACKEND": "conference.cache_backends.GuardedFileBasedCache",
        "LOCATION": str(Path(folder) / key_prefix),
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }


if REDIS_URL:
    CACHES = {"default": CACHES_FOR_REDIS(REDIS_URL)}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": CACHES_FOR_FOLDER(VAR_DIR / "cache")}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Rate-limit counters (allauth's and ours, conference/rate_limits.py) in a database table of their own: the cache
# above may evict or cull under a flood of pages, the database does not. MAX_ENTRIES is far above what the
# per-address limits let anyone create in a counter's lifetime (Django's database cache culls past it).
LIMITS_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "rate_limit_counters",
    "KEY_PREFIX": CACHE_KEY_PREFIX,
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}
CACHES["limits"] = LIMITS_CACHE

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Languages: English at unprefixed URLs, Russian under /ru/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Files that hold personal data and are served only through a view that checks who asks (stored badges):
# outside MEDIA_ROOT, which the web server may serve as it is.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
BADGE_STORE_DIR = PRIVATE_MEDIA_ROOT / "badges"

# Email: files when EMAIL_FILE_PATH is set (docs/contract.md), SMTP when EMAIL_HOST is, else the console. That
# is the backend the worker delivers with; anything in a request that sends mail only queues it (EMAIL_BACKEND).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Harm Reduction Conference <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = "conference.mail.QueueingEmailBackend"
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
if EMAIL_FILE_PATH:
    MAIL_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
elif os.environ.get("EMAIL_HOST"):
    MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    MAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Seconds any one SMTP conversation may block a worker (docs/contract.md); requests never send mail themselves.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Background work (docs/contract.md): emails are stored in the database in the transaction that causes them
# (conference/mail.py) and sent by `manage.py worker` processes through django-tasks' database backend,
# under the alias "background". Wagtail's own tasks (search and reference index) use "default" and stay
# immediate, as they were before TASKS was set: the index is current when a save returns.
# Two queues: "mail" (every email, at a high priority) and "pages" (the warm-up of the stored pages, at a low one).
# A worker takes the most urgent ready task first, and the warm-up hands over to a waiting email between two
# renders, so an email never waits behind page rendering; `manage.py worker --queues mail` serves one queue.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["mail", "pages"]},
}
# A failed send is tried again after 30 s, 1, 2, 4 … minutes; after MAIL_MAX_ATTEMPTS it is "failed" and
# shows in the admin (Reports → Outgoing emails) with a Resend button. 8 attempts span about an hour.
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
MAIL_RETRY_BASE_SECONDS = int(os.environ.get("MAIL_RETRY_BASE_SECONDS", "30"))
# A message claimed by a worker that has not finished it within this time is taken up by another worker
# (the first one died). Well above the longest SMTP conversation EMAIL_TIMEOUT allows.
MAIL_LEASE_SECONDS = int(os.environ.get("MAIL_LEASE_SECONDS", "300"))
WORKER_POLL_SECONDS = float(os.environ.get("WORKER_POLL_SECONDS", "1"))
# After a change that retires the stored public pages, a worker renders the programme pages and exports again
# so that the first visitor does not wait for them (programme/warming.py).
PAGE_WARM_UP = env_bool("PAGE_WARM_UP", True)
# Sent messages keep only recipients and subject (the body is dropped once sent), and only this long.
MAIL_KEEP_SENT_DAYS = int(os.environ.get("MAIL_KEEP_SENT_DAYS", "30"))

# Wagtail
WAGTAIL_SITE_NAME = "Harm Reduction Conferences"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_FINDERS = []  # nothing is fetched from third parties
# Sign-in (docs/contract.md, docs/security.md): the admin's and private pages' sign-in is allauth's, with its
# rate limits; Wagtail's own password reset (no limits, no queue) is off: allauth's covers every account.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# URL names, not paths: resolved per request, so a Russian page's private content or sign-in stays under /ru/.
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# An image's description is its alt text: required on upload (conference.image_forms).
WAGTAILIMAGES_IMAGE_FORM_BASE = "conference.image_forms.DescribedImageForm"
# Admin avatars from our own default picture: Gravatar is another host, which our CSP blocks anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Accounts (django-allauth): email is the login and must be verified.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_registrations"  # a name: /ru/my/ after signing in on a Russian page
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Queues allauth's emails (sign-up confirmation, password reset) instead of sending them in the request.
ACCOUNT_ADAPTER = "conference.accounts.AccountAdapter"
# Rate limits, every one written out because allauth merges ours into its defaults (docs/security.md).
# "ip" limits count one public address, and a venue's Wi-Fi puts hundreds of attendees behind one: they
# must let 500 people sign in within ten minutes. "key" limits count one account (its email): they slow
# password guessing without locking the owner out for long.
# The per-address ("ip") figures a venue may need to raise come from the environment (README, docs/security.md).
RATE_PER_ADDRESS = {
    "login": os.environ.get("RATE_LIMIT_SIGN_INS_PER_ADDRESS", "1000/10m"),
    "signup": os.environ.get("RATE_LIMIT_SIGN_UPS_PER_ADDRESS", "200/10m"),
    "code_send": os.environ.get("RATE_LIMIT_CODES_SENT_PER_ADDRESS", "300/10m"),
    "code_check": os.environ.get("RATE_LIMIT_CODES_CHECKED_PER_ADDRESS", "600/10m"),
}
ACCOUNT_RATE_LIMITS = {
    # Every sign-in attempt, right or wrong (allauth's default is 30 a minute per address).
    "login": f"{RATE_PER_ADDRESS['login']}/ip",
    # Wrong passwords: per address (a typo now and then among hundreds of people), and per account:
    # 10 wrong in 15 minutes, then the account waits out the rest of the 15 minutes (under 1,000 guesses
    # a day; the owner, typing right, is held up 15 minutes at most).
    "login_failed": "100/10m/ip,10/15m/key",
    "signup": f"{RATE_PER_ADDRESS['signup']}/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "30/10m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "request_login_code": "20/m/ip,3/m/key",  # allauth's sign-in by code, which is off (below)
    # Emailed codes (conference/email_proof.py: registration, proposals, sign-in by code). None counts per target
    # address alone, so a stranger cannot lock anybody out: codes sent per requesting network address, and per
    # requesting address and email together; codes and links tried per network address; wrong codes per email a
    # day, after which only the emailed link (not guessable) confirms that address.
    "email_code_send": f"{RATE_PER_ADDRESS['code_send']}/ip,3/10m/key",
    "email_code_check": f"{RATE_PER_ADDRESS['code_check']}/ip",
    # The same on a registration desk (conference/kiosk.py), without the per-address limits.
    "email_code_send_at_desk": "3/10m/key",
    "email_code_wrong": "20/d/key",
}
# allauth's sign-in by code verified an address without the owner rule of conference/accounts.py (a stranger's
# password survived); ours (/accounts/code/, conference/sign_in_by_code.py) follows it.
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
# How long a device stays a registration desk after staff authorised it at /kiosk/ (seconds; default 3 days).
KIOSK_MAX_AGE = int(os.environ.get("KIOSK_MAX_AGE", str(3 * 24 * 3600)))
# Behind a reverse proxy (bin/cluster, docs/deploying.md) the client's address is in X-Forwarded-For;
# set this to the number of proxies in front of the app, or every client looks like the proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Security headers that hold everywhere (HTTPS-only ones are in production.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Long text in a POST (the 10 MB name) is refused by Django before any form sees it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
