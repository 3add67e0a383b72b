"""Local development: `make demo`. Never use in production."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
PORT = os.environ.get("PORT", "8000")
# ".localhost": localhost and its subdomains, where each H5P activity plays (v<id>.localhost).
ALLOWED_HOSTS = ["127.0.0.1", ".localhost", "[::1]"]
WAGTAILADMIN_BASE_URL = f"http://127.0.0.1:{PORT}"

# Emails are written as files a developer can open: var/mail/*.log
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"

# H5P content is served from another host of the same dev server: cookies are per host,
# so the site's session cookie (set on 127.0.0.1) never reaches localhost.
LEARNING_H5P_ORIGIN = os.environ.get("LEARNING_H5P_ORIGIN", f"http://localhost:{PORT}")
