"""Stamps that make the URLs of shared H5P files immutable.

Installed libraries and the player's own files are the same for every learner and every
activity, so they are served without a token from one origin at URLs that change whenever
their bytes may change (``/h5p/libraries/<stamp>/...``, ``/h5p/player-assets/<stamp>/...``)
and are cached for a year by browsers and any CDN in front of the content origin.
"""

import hashlib

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

# Our own scripts on the content origin: /h5p/player-assets/<stamp>/<name> -> static file.
PLAYER_SCRIPTS = {
    "player.js": "learning/h5p/player.js",
    "storage-fallback.js": "learning/h5p/storage-fallback.js",
}
PLAYER_ASSET_PREFIX = "h5p-standalone/"
# The files a new h5p-standalone release or a change of our scripts changes; its fonts and
# images are only ever referenced from these (relative URLs under the same stamp).
STAMPED_PLAYER_FILES = (
    "player.js",
    "storage-fallback.js",
    "main.bundle.js",
    "frame.bundle.js",
    "styles/h5p.css",
)
IMMUTABLE = "public, max-age=31536000, immutable"
# A stamp that is no longer current (a page rendered just before a library upgrade or a
# deploy) still gets the current files, but only briefly cached.
STALE = "public, max-age=60"

_player_stamp = None


def open_player_asset(path):
    """An open binary file for player asset ``path`` (a checked relative path), or None."""
    static_path = PLAYER_SCRIPTS.get(path) or PLAYER_ASSET_PREFIX + path
    found = finders.find(static_path)
    if found:
        return open(found, "rb")  # noqa: SIM115 - the caller closes it
    if staticfiles_storage.exists(static_path):
        return staticfiles_storage.open(static_path, "rb")
    return None


def player_assets_stamp():
    """A digest of the player's files, computed once per process (they change only with a
    deploy, which starts new processes)."""
    global _player_stamp
    if _player_stamp is None:
        digest = hashlib.sha256()
        for path in STAMPED_PLAYER_FILES:
            handle = open_player_asset(path)
            digest.update(path.encode() + b"\0")
            if handle is not None:
                with handle:
                    digest.update(handle.read())
        _player_stamp = digest.hexdigest()[:16]
    return _player_stamp


def libraries_stamp():
    """A digest of the installed libraries: each row and the storage prefix of its patch
    version (never reused), so installing, upgrading or removing any library gives every
    library URL a new stamp, and an unchanged set keeps the URLs browsers have cached."""
    from learning.models import H5PLibrary

    digest = hashlib.sha256()
    for pk, storage_path in H5PLibrary.objects.order_by("pk").values_list("pk", "storage_path"):
        digest.update(f"{pk}:{storage_path}\n".encode())
    return digest.hexdigest()[:16]
