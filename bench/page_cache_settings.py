"""Settings of the page-cache benchmark: production settings, plus a trivial view
(``page_cache_urls``) behind the same middleware, and static files named without the
collectstatic manifest (the benchmark serves pages, not static files)."""

from config.settings.production import *  # noqa: F403
from config.settings.production import STORAGES

ROOT_URLCONF = "page_cache_urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
