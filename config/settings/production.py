"""Production: every value comes from the environment; missing required ones fail fast."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, VAR_DIR, default_cache_key_prefix, redis_caches
from .rq import rq_tasks
from .s3 import s3_storages


def env(name, default=None, *, required=False):
    value = os.environ.get(name, default)
    if required and not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production "
            f"(see 'Configuration' in README.md)."
        )
    return value


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = False
# WhiteNoise serves collected static files (incl. the H5P player) from the app servers.
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_after_security],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_after_security:],
]
SECRET_KEY = env("SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
WAGTAILADMIN_BASE_URL = env("SITE_URL", required=True)

DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", required=True), conn_max_age=60)}
CACHES = redis_caches(
    env("REDIS_URL", required=True),
    key_prefix=default_cache_key_prefix(),
    version=int(env("CACHE_VERSION", "1")),
)
# Sessions are kept in the database and read through the cache: they survive Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background tasks: the database queue (manage.py task_worker), or RQ on Redis.
if env("TASK_BACKEND", "database") == "rq":
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
    TASKS, RQ_QUEUES = rq_tasks(env("RQ_REDIS_URL", required=True))

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", required=True)
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", "true").lower() == "true"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", required=True)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LEARNING_H5P_ORIGIN = env("LEARNING_H5P_ORIGIN", required=True)
# Optional: forward every stored xAPI statement to an external learning record store.
LEARNING_XAPI_LRS_ENDPOINT = env("LEARNING_XAPI_LRS_ENDPOINT", "")
LEARNING_XAPI_LRS_USERNAME = env("LEARNING_XAPI_LRS_USERNAME", "")
LEARNING_XAPI_LRS_PASSWORD = env("LEARNING_XAPI_LRS_PASSWORD", "")

if env("AWS_STORAGE_BUCKET_NAME"):
    # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, read by boto3 itself (or the
    # instance role when unset).
    STORAGES = s3_storages(
        bucket_name=env("AWS_STORAGE_BUCKET_NAME"),
        endpoint_url=env("AWS_S3_ENDPOINT_URL"),
        region_name=env("AWS_S3_REGION_NAME"),
        addressing_style=env("AWS_S3_ADDRESSING_STYLE"),
        private_location=env("AWS_PRIVATE_LOCATION", "private"),
        private_acl=env("AWS_PRIVATE_ACL", "private"),
    )
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        },
        "learning_private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": env("PRIVATE_ROOT", str(VAR_DIR / "private")),
                "base_url": "/no-public-url/",
            },
        },
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT", "true").lower() == "true"
# Load balancers probe the health endpoint over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The language cookie (the switcher and the profile page) is read only by the server.
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Behind N reverse proxies that each append to X-Forwarded-For, the client is the N-th
# address from the right (learning.network); 0 = REMOTE_ADDR (no proxy).
LEARNING_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
