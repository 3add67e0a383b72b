"""Settings shared by every environment of the runnable site.

Environment-specific modules (dev, test, production) import from here and override.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from learning.timezones import selectable_zone_names

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "learning",
    "courses",
    "webinars",
    "wagtail.contrib.forms",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
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
    "django_filters",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "learning.log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "learning.h5p.middleware.ContentOriginMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "learning.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "learning.middleware.ScopedAdminReportsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "learning.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "learning.context_processors.platform",
            ],
        },
    },
]

# Database: SQLite (embedded default) unless DATABASE_URL is set.
# IMMEDIATE transactions take the write lock at BEGIN, so concurrent writers queue behind
# the busy timeout instead of failing with "database is locked" on lock upgrade.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", VAR_DIR / "db.sqlite3"))
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_caches(url, *, key_prefix, version=1):
    """``CACHES`` on Redis at ``url``, as an optimisation (``learning.cache``): sub-second
    socket timeouts, and an unreachable or silent Redis answers as an empty cache. Every
    key starts with ``key_prefix`` and ``version``, so deployments sharing a Redis (or an
    old and a new release whose cached objects differ) never read each other's entries."""
    return {
        "default": {
            "BACKEND": "learning.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": key_prefix,
            "VERSION": version,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.3,
                "SOCKET_TIMEOUT": 0.3,
                "DOWN_SECONDS": 5,
            },
        }
    }


def default_cache_key_prefix():
    """``CACHE_KEY_PREFIX``, else the site's host name (distinct per deployment)."""
    site = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
    return os.environ.get("CACHE_KEY_PREFIX") or urlsplit(site).netloc or "learning"


if os.environ.get("REDIS_URL"):
    CACHES = redis_caches(
        os.environ["REDIS_URL"],
        key_prefix=default_cache_key_prefix(),
        version=int(os.environ.get("CACHE_VERSION", "1")),
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, with the user row cached (learning/backends.py).
    "learning.backends.CachedModelBackend",
    "learning.backends.CachedAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: email is the login, verification is mandatory, no account enumeration.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "learning.forms.SignupProfileForm"
ACCOUNT_ADAPTER = "learning.adapters.AccountAdapter"
# People are named by the name they gave (profile), never by the username derived for them.
ACCOUNT_USER_DISPLAY = "learning.adapters.user_display"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("ru", _("Russian")),
]
LANGUAGES_BIDI = ["ar", "he", "fa", "ur"]
# The site-wide templates' catalogue; each app ships its own in <app>/locale.
LOCALE_PATHS = [BASE_DIR / "templates" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
_H5P_PLAYER_DIST = BASE_DIR / "node_modules" / "h5p-standalone" / "dist"
if _H5P_PLAYER_DIST.is_dir():
    STATICFILES_DIRS.append(("h5p-standalone", _H5P_PLAYER_DIST))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # H5P packages and workshop materials: no public URL, served by permission-checked views.
    "learning_private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private", "base_url": "/no-public-url/"},
    },
}

WAGTAIL_SITE_NAME = "Capacity Building Platform"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "learning.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
# Pages exist in the six languages (README "Translating content"): an editor translates a
# page with wagtail.contrib.simple_translation; the same URL serves the version in the
# visitor's language (learning.models.HomePage.route falls back to the source version).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Admin avatars: never fetched from gravatar.com (a request per viewer leaks who looks at the
# admin, and fails offline); Wagtail shows its default avatar or an uploaded one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The account page formats each zone with the browser's Intl API, which refuses tzdata's
# internal names ("localtime", "posixrules", "Factory").
WAGTAIL_USER_TIME_ZONES = selectable_zone_names()
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Largest workshop material a trainer may upload, in bytes (default in learning/conf.py).
if os.environ.get("LEARNING_MATERIAL_MAX_FILE_SIZE"):
    LEARNING_MATERIAL_MAX_FILE_SIZE = int(os.environ["LEARNING_MATERIAL_MAX_FILE_SIZE"])

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Capacity Building <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"()": "learning.log.TextFormatter"},
        "json": {"()": "learning.log.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "learning": {"level": "INFO"},
        "courses": {"level": "INFO"},
        "webinars": {"level": "INFO"},
    },
}
