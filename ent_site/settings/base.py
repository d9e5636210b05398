"""Settings shared by every environment, read from environment variables."""

import re
from datetime import timedelta
from os import environ as env
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "ent_site"


def env_bool(name, default=False):
    return env.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = env.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "visibility",
    "pages",
    "home",
    "mediafiles",
    "pupils",
    "news",
    "schools",
    "resources",
    "accounts",
    "inbox",
    "security",
    "invitations",
    "onboarding",
    "audit",
    "departures",
    "rights",
    "schoolyear",
    "privacy",
    "agenda",
    "training",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
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
    "dsfr",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
]

# Wagtail's own tasks run at once; the e-mails of the feed go through a
# persistent queue, worked by `manage.py db_worker --backend notifications`
# (started by `make run`).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "notifications": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the visitors' cache, so that cached pages get them too.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "security.middleware.ContentSecurityPolicyMiddleware",
    "visibility.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the person and their access from the shared cache.
    "visibility.people.SessionPersonMiddleware",
    "pages.links.ReaderMiddleware",
    "visibility.middleware.PageRoutingMiddleware",
    "visibility.middleware.PrivateResponsesMiddleware",
    "home.admin_access.StaffAdminAllowlistMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a login refused by django-axes into the French lockout page.
    "axes.middleware.AxesMiddleware",
]

# Pages for visitors without a session are kept this long in the shared cache
# (visibility/cache.py), and dropped at once when anything they show changes.
ANONYMOUS_CACHE_SECONDS = int(env.get("ANONYMOUS_CACHE_SECONDS", "300"))
CACHES = {
    "default": {
        # Shared by every process: Redis in production, files by default.
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env["REDIS_URL"],
    }
    if env.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.get("CACHE_DIR", str(BASE_DIR / ".cache")),
    }
}

# Every key of every cache alias names the database it was read from
# (visibility/cache_keys.py): another DATABASE_URL, a demo seeded again or a
# restored backup never reads what was cached for other content.
for _alias in CACHES.values():
    _alias["KEY_FUNCTION"] = "visibility.cache_keys.make_key"

# Sessions are read from the cache, written to both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

ROOT_URLCONF = "ent_site.urls"
WSGI_APPLICATION = "ent_site.wsgi.application"

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
                "inbox.feed.unread_count",
            ],
        },
    },
]

# A form refused for its token says so in French (``home.views``).
CSRF_FAILURE_VIEW = "home.views.csrf_failure"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The site and the e-mail worker write to the same file: readers never
    # wait for a writer (WAL), a writer waits its turn for up to 20 s instead
    # of failing at once, and takes the write lock when its transaction
    # begins (a transaction that reads then writes cannot deadlock).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's costs for a server on SSD, answering many small queries:
    # listings then walk the "newest first" index and stop at a page's worth
    # instead of sorting every news item, and no query waits for parallel
    # workers to start.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
    )

# Password rules as the CNIL recommends (délibération n° 2022-100), checked
# whenever a password is chosen (not at login).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "accounts.passwords.CnilPasswordValidator",
        "OPTIONS": {"min_length": 12, "passphrase_length": 14},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A « Mot de passe oublié » link works once, for a day.
PASSWORD_RESET_TIMEOUT = int(env.get("PASSWORD_RESET_TIMEOUT", str(24 * 3600)))
# Wagtail's own reset is off: the admin's login page links to the site's
# « Mot de passe oublié » (templates/wagtailadmin/login.html).
WAGTAIL_PASSWORD_RESET_ENABLED = False
# django-axes refuses logins after repeated failures; then Django's model
# backend, loading the person of a session with their memberships in one query.
AUTHENTICATION_BACKENDS = [
    "security.backends.LockoutBackend",
    "visibility.backends.AccessBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.AdminLoginForm"

# Internationalisation: French first, unprefixed URLs; English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Static files and media
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get("MEDIA_ROOT", BASE_DIR / "media"))
# Images and documents: outside any served folder, reached through views that
# check who is asking (mediafiles.views). The storage's location is a string:
# Wagtail's task deleting a file takes the storage's arguments as JSON.
PRIVATE_MEDIA_ROOT = Path(env.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/non-servi/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Behind nginx, the prefix of its internal location for those files (e.g.
# "/_prive/", deploy/nginx.conf): once Django has checked who is asking, nginx
# sends the file. Empty: Django streams it (development, tests). Wagtail's
# document view and ours both send through mediafiles.accel.
MEDIA_ACCEL_REDIRECT = env.get("MEDIA_ACCEL_REDIRECT", "")
SENDFILE_BACKEND = "mediafiles.accel"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail
EMAIL_BACKEND = env.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# Where the file backend (django.core.mail.backends.filebased) writes.
EMAIL_FILE_PATH = env.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent_emails"))
EMAIL_HOST = env.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "ent@circonscription.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = env.get("WAGTAIL_SITE_NAME", "ENT de circonscription")
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")

# How long personal data is kept, in days (docs/privacy.md). The
# « Données personnelles » page and the processing register read these, so
# that what they say stays true.
# Last year's classes and their news, archived read-only at the rollover.
ENT_ARCHIVE_DAYS = int(env.get("ENT_ARCHIVE_DAYS", "365"))
# An account with no child left in the district (or a departed teacher's,
# once their pages are handed over) is deleted this long after the departure
# (arrêté du 30 novembre 2006 modifié, art. 6: within three months)…
ENT_DEPARTURE_DAYS = int(env.get("ENT_DEPARTURE_DAYS", "90"))
# …after an e-mail notice sent this long before.
ENT_DEPARTURE_NOTICE_DAYS = int(env.get("ENT_DEPARTURE_NOTICE_DAYS", "15"))
# An ONDE or staff import (its preview, and its file if it never ran).
ENT_IMPORT_DAYS = int(env.get("ENT_IMPORT_DAYS", "30"))
# The audit log of changes to personal data.
ENT_AUDIT_LOG_DAYS = int(env.get("ENT_AUDIT_LOG_DAYS", "365"))
# The district's data protection officer, as shown on « Données personnelles ».
ENT_DPO_CONTACT = env.get("ENT_DPO_CONTACT", "")
# Who is responsible for the processing (the DASEN acting for the district)
# and their postal address, and who hosts the site: named on « Données
# personnelles » and in the processing register (privacy/register.py). Left
# empty, the page says « à compléter » to the district team.
ENT_CONTROLLER_NAME = env.get("ENT_CONTROLLER_NAME", "")
ENT_CONTROLLER_ADDRESS = env.get("ENT_CONTROLLER_ADDRESS", "")
ENT_HOSTING = env.get("ENT_HOSTING", "")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # French stemming without accents ("geometrie" finds "géométriques"): the
    # configuration is created by the resources app's migrations.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french_unaccent"

# Videos of the national education's PeerTube instances, then Wagtail's own
# list of providers (YouTube, Vimeo, Dailymotion…).
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [
            {
                "endpoint": f"https://{host}/services/oembed",
                "urls": [rf"^https://{re.escape(host)}/(w|videos/watch)/.+$"],
            }
            for host in (
                "tube-maternelle.apps.education.fr",
                "tube-cycle-2.apps.education.fr",
                "tube-cycle-3.apps.education.fr",
                "tube-numerique-educatif.apps.education.fr",
            )
        ],
    },
    {"class": "wagtail.embeds.finders.oembed"},
]
WAGTAILIMAGES_IMAGE_MODEL = "mediafiles.CustomImage"
WAGTAILIMAGES_RENDITION_STORAGE = "private"
WAGTAILIMAGES_IMAGE_FORM_BASE = "mediafiles.forms.ImageForm"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_DOCUMENT_MODEL = "mediafiles.CustomDocument"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "mediafiles.forms.DocumentForm"
# Documents are always served through the view that checks audiences, and
# always as downloads.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
MAX_DOCUMENT_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "odt",
    "ods",
    "odp",
    "docx",
    "xlsx",
    "pptx",
    "txt",
    "csv",
]
# Shared-password page restrictions are not part of our audience model.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = True

# django-dsfr assets are served from our own static files.
DSFR_USE_INTEGRITY_CHECKSUMS = True

# The admin asks no other host: no Gravatar (people are shown by their
# initials, security/wagtail_hooks.py), no update check, no "what's new"
# banner fetched for the dashboard.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# No draft is kept by accident: a page is saved only when its editor asks
# (save a draft, publish or send for validation), never by Wagtail's autosave.
WAGTAIL_AUTOSAVE_INTERVAL = 0

# Password guessing (django-axes): after LOGIN_FAILURE_LIMIT failures in
# LOGIN_LOCKOUT_MINUTES, for one account or from one address, both login pages
# refuse to log in (even with the right password) for that long; the district
# team can unlock earlier (security/views.py). Successful logins do not count.
AXES_FAILURE_LIMIT = int(env.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "security.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ADMIN = False
# Successful logins are not recorded: nothing reads them (data minimisation,
# docs/privacy.md); failed attempts are kept for LOGIN_LOCKOUT_MINUTES.
AXES_DISABLE_ACCESS_LOG = True
# Masked in the form data axes keeps with a failure, and in its log lines
# (the password always is).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "next", "csrfmiddlewaretoken"]

# Invitations: how long the link of an activation e-mail and the code of a
# printed login sheet work (each works once).
INVITATION_DAYS = int(env.get("INVITATION_DAYS", "14"))
INVITATION_CODE_DAYS = int(env.get("INVITATION_CODE_DAYS", "60"))


def client_address_settings(proxies):
    """Where django-axes reads the client's address (django-ipware): the
    connection's address without a reverse proxy; behind ``proxies`` of them,
    each appending the address it was reached from to X-Forwarded-For, the
    entry the outermost one appended (anything before it was written by the
    client and is ignored)."""
    if not proxies:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"]}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        # python-ipware counts the proxies listed in the header: all but the
        # outermost, which appears only as the connection's address.
        "AXES_IPWARE_PROXY_COUNT": proxies - 1,
    }


# Not strict: a header holding more entries than proxies (some written by
# the client) still gives the entry the outermost proxy wrote.
IPWARE_STRICT = False
TRUSTED_PROXIES = int(env.get("TRUSTED_PROXIES", "0"))
globals().update(client_address_settings(TRUSTED_PROXIES))

# Content-Security-Policy (django-csp) on every answer, our own host only;
# the admin's variant is in security/middleware.py. Videos come from the
# national education's PeerTube instances (WAGTAILEMBEDS_FINDERS).
VIDEO_HOSTS = [
    "https://tube-maternelle.apps.education.fr",
    "https://tube-cycle-2.apps.education.fr",
    "https://tube-cycle-3.apps.education.fr",
    "https://tube-numerique-educatif.apps.education.fr",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": ["'self'", *VIDEO_HOSTS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Permissions-Policy (django-permissions-policy): the powerful features the
# site never uses are off, for it and for any frame it shows.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "WARNING")},
}
