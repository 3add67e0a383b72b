"""Settings read by the learning app, defaulted in one place.

Read them through ``learning_settings`` (never ``getattr(settings, ...)`` elsewhere), so a
site overrides any of them in its Django settings and tests can use ``override_settings``:

    from learning.conf import learning_settings
    learning_settings.LEARNING_H5P_MAX_FILE_SIZE

To add a setting, add its name and default to ``DEFAULTS`` and a row to the README's
Configuration table.
"""

import os

from django.conf import settings

MiB = 1024 * 1024

DEFAULTS = {
    # H5P package import (learning.h5p.validator)
    "LEARNING_H5P_MAX_FILE_SIZE": 16 * MiB,  # largest uncompressed file in a package
    "LEARNING_H5P_MAX_TOTAL_SIZE": 64 * MiB,  # all uncompressed files of a package
    "LEARNING_H5P_MAX_FILES": 5000,  # entries in the archive
    # An entry that inflates more than this many times its compressed size is a zip bomb
    # (real H5P text files compress about 5-20 times).
    "LEARNING_H5P_MAX_COMPRESSION_RATIO": 200,
    # Parallel writes when storing a package (object storage is slow per file).
    "LEARNING_H5P_STORAGE_WORKERS": 8,
    # H5P play and track (learning.h5p.player, learning.h5p.views, learning.tasks)
    "LEARNING_H5P_TOKEN_TTL": 2 * 60 * 60,  # seconds a player URL stays valid
    # Each content version plays on its own origin, v<id>.<content host> (needs a wildcard
    # DNS name and certificate for the content host); False: one shared content origin.
    "LEARNING_H5P_ORIGIN_PER_ACTIVITY": True,
    # Resume state per learner and activity: bytes of each saved state, saved states
    # (data types x sub-contents), requests per minute (413 / 400 / 429 above).
    "LEARNING_H5P_STATE_MAX_SIZE": 64 * 1024,
    "LEARNING_H5P_STATE_MAX_ROWS": 20,
    "LEARNING_H5P_STATE_RATE_LIMIT": 60,
    "LEARNING_H5P_SAVE_FREQUENCY": 15,  # seconds between resume-state saves of the player
    "LEARNING_XAPI_MAX_BODY_SIZE": 64 * 1024,  # bytes of one POST of statements (413 above)
    "LEARNING_XAPI_RATE_LIMIT": 300,  # statements per learner per minute (429 above)
    "LEARNING_XAPI_MAX_DEPTH": 32,  # nesting levels of one statement (400 above)
    "LEARNING_XAPI_LRS_ENDPOINT": "",  # e.g. https://lrs.example.org/xapi/ ("" = off)
    "LEARNING_XAPI_LRS_USERNAME": "",
    "LEARNING_XAPI_LRS_PASSWORD": "",
    "LEARNING_XAPI_LRS_TIMEOUT": 10,  # seconds per forwarding request
    "LEARNING_XAPI_LRS_MAX_ATTEMPTS": 6,  # then the statement is left unforwarded
    # Certificate verification (learning.certificates.verification): unknown codes one
    # address may try per window of seconds before every lookup from it is refused (429).
    "LEARNING_CERTIFICATE_VERIFY_MAX_MISSES": 20,
    "LEARNING_CERTIFICATE_VERIFY_WINDOW": 60 * 60,
    # The request header (META name) in which the proxy in front of Django puts the
    # client's address, e.g. "HTTP_X_REAL_IP"; "" = REMOTE_ADDR.
    "LEARNING_CLIENT_IP_HEADER": "",
    # Reverse proxies in front of Django that append to X-Forwarded-For (learning.network);
    # 0 = none, the client is REMOTE_ADDR. Takes precedence over LEARNING_CLIENT_IP_HEADER.
    "LEARNING_TRUSTED_PROXY_COUNT": 0,
    # Open Badges credentials (learning.certificates.keys): the PEM file of the issuer's
    # Ed25519 private key ("" = one generated once into VAR_DIR, for development), and the
    # keys retired from signing, oldest first, still listed so earlier credentials verify.
    # Read from the environment too, so production sets them without a settings change.
    "LEARNING_CREDENTIAL_KEY_FILE": os.environ.get("LEARNING_CREDENTIAL_KEY_FILE", ""),
    "LEARNING_CREDENTIAL_RETIRED_KEY_FILES": [
        path
        for path in os.environ.get("LEARNING_CREDENTIAL_RETIRED_KEY_FILES", "").split(os.pathsep)
        if path
    ],
    # Seconds verifiers may cache the served revocation list.
    "LEARNING_CREDENTIAL_STATUS_MAX_AGE": 300,
    # Background tasks (learning.delivery, the task_worker command): attempts of a
    # side-effect task (an email) before it fails for good, the first retry's delay in
    # seconds (doubled per attempt, at most an hour), and the seconds after which a task
    # still RUNNING in the database queue is taken to have lost its worker and is run
    # again (longer than any task runs).
    "LEARNING_TASK_MAX_ATTEMPTS": 10,
    "LEARNING_TASK_RETRY_DELAY": 30,
    "LEARNING_TASK_RUNNING_TIMEOUT": 15 * 60,
    # Workshop materials (learning.workshops.file_types): largest file a trainer may upload.
    "LEARNING_MATERIAL_MAX_FILE_SIZE": 200 * MiB,
    # Anonymous page cache (learning.page_cache): seconds a page is kept at most (changes
    # drop it at once); 0 = off.
    "LEARNING_PAGE_CACHE_SECONDS": 300,
    # Workshop material downloads on object storage: seconds a signed redirect stays valid.
    "LEARNING_MATERIAL_URL_SECONDS": 300,
}


class LearningSettings:
    """Attribute access to the app's settings: the site's value, else the default."""

    def __getattr__(self, name):
        try:
            default = DEFAULTS[name]
        except KeyError:
            raise AttributeError(f"Unknown learning setting {name!r}") from None
        return getattr(settings, name, default)


learning_settings = LearningSettings()
