"""Writing a validated package to the private storage (``learning.storage``: disk or S3).

Libraries are stored once per patch version under ``h5p/libraries/<folder>.<patch>/`` and
each content version under ``h5p/content/<content id>/v<number>/`` (its h5p.json and
content/ folder). Files are written in parallel (object storage answers each PUT in tens
of milliseconds), and every name written is recorded so that the import can remove them
all if anything fails afterwards.
"""

import contextlib
import os
import posixpath
import threading
from concurrent.futures import ThreadPoolExecutor
from enum import Enum

from django.core.files.base import ContentFile

from learning.conf import learning_settings
from learning.storage import private_storage


class Mode(Enum):
    NEW = "new"  # the prefix is new: write
    IF_MISSING = "if-missing"  # same immutable patch version may be there: keep it
    REPLACE = "replace"  # an orphan may be there (deleted content, reused id): replace


def library_prefix(library):
    """Storage prefix of one patch version of a library (never reused for other files)."""
    return f"h5p/libraries/{library.ref.folder_name}.{library.patch}/"


def content_prefix(content_id, number):
    return f"h5p/content/{content_id}/v{number}/"


def library_files(package, library, storage=None):
    """``(prefix, files)`` to write for a library of a validated package."""
    storage = storage or private_storage()
    prefix = library_prefix(library)
    # Files already there belong to the same immutable patch version (an earlier import
    # whose rows were lost, or a concurrent one): keep them.
    mode = Mode.IF_MISSING if storage.exists(prefix + "library.json") else Mode.NEW
    files = [
        (
            posixpath.join(prefix, info.filename[len(library.folder) + 1 :]),
            package.data[info.filename],
            mode,
        )
        for info in library.files
    ]
    return prefix, files


def content_files(package, prefix):
    """Files to write for h5p.json and content/ of a package under a version's prefix."""
    return [
        (posixpath.join(prefix, info.filename), package.data[info.filename], Mode.REPLACE)
        for info in package.content_files
    ]


class WrittenFiles:
    """Writes files and remembers their names, to delete them if the import fails."""

    def __init__(self, storage=None):
        self.storage = storage or private_storage()
        self.names = []
        self._lock = threading.Lock()

    def write_all(self, files):
        """Write ``(name, bytes, Mode)`` items in parallel; raise the first error once
        every write has finished (so that ``remove_all`` sees every name written)."""
        files = list(files)
        workers = min(learning_settings.LEARNING_H5P_STORAGE_WORKERS, len(files))
        if workers <= 1:
            for item in files:
                self.write(*item)
            return
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(self.write, *item) for item in files]
        for future in futures:
            future.result()

    def write(self, name, data, mode=Mode.NEW):
        if mode is not Mode.NEW and self.storage.exists(name):
            if mode is Mode.IF_MISSING:
                return
            self.storage.delete(name)
        saved = self.storage.save(name, ContentFile(data))
        with self._lock:
            self.names.append(saved)
        if saved != name:
            # Another import wrote this immutable path meanwhile; ours was saved as a copy.
            raise FileExistsError(name)

    def remember(self, name):
        with self._lock:
            self.names.append(name)

    def remove_all(self):
        for name in reversed(self.names):
            self.storage.delete(name)
        _remove_empty_folders(self.storage, self.names)
        self.names.clear()


def _remove_empty_folders(storage, names):
    """On a local disk, deleting files leaves their folders: remove those left empty (under
    h5p/ only; a folder still holding anything stays). Object storage has no folders."""
    folders = set()
    for name in names:
        folder = posixpath.dirname(name)
        while folder.startswith("h5p/") and folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    for folder in sorted(folders, key=len, reverse=True):
        # Not a local disk (no path), or not empty: keep it.
        with contextlib.suppress(NotImplementedError, OSError):
            os.rmdir(storage.path(folder))


def delete_prefix(prefix, storage=None):
    """Delete every file under ``prefix`` (a content version's files)."""
    storage = storage or private_storage()
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        storage.delete(posixpath.join(prefix, name))
    for directory in directories:
        delete_prefix(posixpath.join(prefix, directory) + "/", storage)
