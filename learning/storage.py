"""Where the learning app keeps files that must never be public: H5P packages and their
extracted files (executable JavaScript) and workshop materials. They are served only by
permission-checked views (H5P files from the separate content origin), so they live in the
storage alias ``learning_private`` when the site defines one — a folder or bucket with no
public URL — and in Django's default storage otherwise."""

from django.conf import settings
from django.core.files.storage import default_storage, storages

PRIVATE_STORAGE_ALIAS = "learning_private"


def private_storage():
    if PRIVATE_STORAGE_ALIAS in settings.STORAGES:
        return storages[PRIVATE_STORAGE_ALIAS]
    return default_storage
