"""Writing a validated package to the private storage (``learning.storage``: disk or S3).

Libraries are stored once per patch version under ``h5p/libraries/<folder>.<patch>/``
(without the files only H5P's editor reads) and each content version under
``h5p/content/<content id>/v<number>/`` (its h5p.json and content/ folder). Files are
streamed from the archive and written in parallel (object storage answers each PUT in tens
of milliseconds), and every name written is recorded so that the import can remove them
all if anything fails afterwards.

On S3, django-storages keeps one boto3 session and resource per thread for the calls that
use ``connection`` (``exists``), but writes and deletes go through ``bucket``, created once
per storage: every thread then calls the methods of that bucket's one botocore client,
which is thread-safe (its connection pool holds 10 connections: keep the workers at or
below that, or raise ``max_pool_connections`` in the storage's ``client_config``).
"""

import contextlib
import logging
import os
import posixpath
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from enum import Enum
from functools import partial

from django.core.files import File
from django.core.files.utils import validate_file_name

from learning.conf import learning_settings
from learning.storage import private_storage

logger = logging.getLogger(__name__)


LIBRARIES_FOLDER = "h5p/libraries/"


class Mode(Enum):
    NEW = "new"  # the name is this import's (new prefix, or its orphans removed): write
    IF_MISSING = "if-missing"  # same immutable patch version may be there: keep it


def library_folder(library):
    """Folder of one patch version of a library, in the libraries' folder."""
    return f"{library.ref.folder_name}.{library.patch}"


def library_prefix(library):
    """Storage prefix of one patch version of a library (never reused for other files)."""
    return f"{LIBRARIES_FOLDER}{library_folder(library)}/"


def content_prefix(content_id, number):
    return f"h5p/content/{content_id}/v{number}/"


# Files of a library that only H5P's editor reads: the translations of its semantics
# (language/), the semantics, and the content-upgrade and pre-save scripts. The player never
# requests them, so an import validates them but does not write them (they stay in the
# stored package): in the QuestionSet sample, 449 of the package's 595 files.
EDITOR_ONLY_FOLDER = "language/"
EDITOR_ONLY_FILES = frozenset({"semantics.json", "upgrades.js", "presave.js"})


def played_files(library):
    """``(path in the library folder, ZipInfo)`` of the files the player may request:
    all but the editor's (unless library.json preloads one of them)."""
    preloaded = {
        item["path"]
        for key in ("preloadedJs", "preloadedCss")
        for item in library.metadata.get(key) or ()
    }
    for info in library.files:
        path = info.filename[len(library.folder) + 1 :]
        editor_only = path.startswith(EDITOR_ONLY_FOLDER) or path in EDITOR_ONLY_FILES
        if path in preloaded or not editor_only:
            yield path, info


def library_folders_present(libraries, storage=None):
    """The ``library_folder`` of those of ``libraries`` that already hold a library.json:
    one listing of the libraries' folder (on S3 one request, where asking for each library
    took one each, one after the other), then one check for each of them found there
    (usually none: an earlier import whose rows were lost; a store with real folders, such
    as SeaweedFS's filer, also keeps a folder whose files were all deleted)."""
    if not libraries:
        return set()
    storage = storage or private_storage()
    try:
        listed = set(storage.listdir(LIBRARIES_FOLDER)[0])
    except FileNotFoundError:
        return set()
    wanted = {library_folder(library) for library in libraries}
    return {
        folder
        for folder in wanted & listed
        if storage.exists(f"{LIBRARIES_FOLDER}{folder}/library.json")
    }


def library_files(package, library, present):
    """Files to write for a library of a validated package (the files the player may
    request): ``(name, open, Mode)``, ``open()`` giving the entry's bytes as a stream.
    ``present``: ``library_folders_present(...)``."""
    prefix = library_prefix(library)
    # Files already there belong to the same immutable patch version (an earlier import
    # whose rows were lost, or a concurrent one): keep them.
    mode = Mode.IF_MISSING if library_folder(library) in present else Mode.NEW
    return [
        (posixpath.join(prefix, path), partial(package.open_entry, info), mode)
        for path, info in played_files(library)
    ]


def content_files(package, prefix, storage=None):
    """Files to write for h5p.json and content/ of a package under a version's prefix
    (locked by the caller). Files already there are orphans (a deleted content whose id
    came again, a clean-up that failed): they are removed first, with one listing of the
    prefix rather than a check per file."""
    delete_prefix(prefix, storage)
    return [
        (posixpath.join(prefix, info.filename), partial(package.open_entry, info), Mode.NEW)
        for info in package.content_files
    ]


def run_in_pool(function, items, workers):
    """Call ``function(*item)`` for each item, ``workers`` calls at a time. After the
    first error no further call starts; the error is raised once the calls under way have
    finished (so that nothing is still being written when the caller cleans up)."""
    if workers <= 1:
        for item in items:
            function(*item)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(function, *item) for item in items]
        wait(futures, return_when=FIRST_EXCEPTION)
        pool.shutdown(cancel_futures=True)  # waits for the calls under way
    for future in futures:
        if not future.cancelled() and future.exception() is not None:
            raise future.exception()


class WrittenFiles:
    """Writes files and remembers their names, to delete them if the import fails."""

    def __init__(self, storage=None):
        self.storage = storage or private_storage()
        self.names = []
        self._lock = threading.Lock()

    def write_all(self, files):
        """Write ``(name, open, Mode)`` items, ``LEARNING_H5P_STORAGE_WORKERS`` at a time
        (object storage answers each PUT in tens of milliseconds), each streamed from
        ``open()``; raise the first error once no write is under way any more."""
        files = list(files)
        workers = min(learning_settings.LEARNING_H5P_STORAGE_WORKERS, len(files))
        run_in_pool(self.write, files, workers)

    def write(self, name, open_source, mode=Mode.NEW):
        if mode is Mode.IF_MISSING and self.storage.exists(name):
            return
        # From here the name is this import's (see Mode): remembered before writing, so
        # that a write failing half-way is removed too.
        self.remember(name)
        try:
            validate_file_name(name, allow_relative_path=True)
            with open_source() as source:
                # Storage.save() would first ask the store whether the name is free (one
                # more request per file on S3; the prefix rules already say it is): call
                # the storage's own write. A local disk still refuses to overwrite.
                saved = _save(self.storage, name, source)
        except Exception as error:
            error.add_note(f"H5P import: writing {name} to the private storage failed")
            raise
        if saved != name:
            # Another import wrote this immutable path meanwhile; ours was saved as a copy.
            with self._lock:
                self.names.remove(name)
                self.names.append(saved)
            raise FileExistsError(name)

    def remember(self, name):
        with self._lock:
            self.names.append(name)

    def remove_all(self):
        """Delete every file written (in parallel too); a file that cannot be deleted is
        logged and the others are still deleted."""
        names = list(reversed(self.names))
        workers = min(learning_settings.LEARNING_H5P_STORAGE_WORKERS, len(names))
        run_in_pool(self._remove, [(name,) for name in names], workers)
        _remove_empty_folders(self.storage, names)
        self.names.clear()

    def _remove(self, name):
        try:
            self.storage.delete(name)
        except Exception:
            logger.exception("H5P import clean-up: could not delete %s", name)


# Below this size a file is read into memory and sent with one put_object call.
SMALL_FILE_SIZE = 8 * 1024 * 1024


def _save(storage, name, source):
    """Write one file, returning the name saved. On S3, a small file goes straight to the
    storage's botocore client: S3Storage._save builds a boto3 resource class per call
    (``bucket.Object()``) and a transfer thread pool per upload (``upload_fileobj``),
    about 10 ms of CPU per PUT. Measured with bench/h5p_import.py (595 files, moto's
    server, 2 busy cores): import 6.1 -> 3.5 s wall, 5.1 -> 1.9 s CPU. The object is the
    one _save would write: same key (location prefix), same parameters (object
    parameters, ContentType and ContentEncoding, ACL). Larger files (multipart uploads),
    gzip-compressing S3 storages and other storages keep _save."""
    from storages.backends.s3 import S3Storage  # boto3 loaded only when needed
    from storages.utils import clean_name

    if isinstance(storage, S3Storage) and not storage.gzip:
        body = source.read(SMALL_FILE_SIZE + 1)
        if len(body) <= SMALL_FILE_SIZE:
            cleaned_name = clean_name(name)  # as S3Storage._save, step by step
            key = storage._normalize_name(cleaned_name)
            params = storage._get_write_parameters(key)
            client = storage.bucket.meta.client  # the bucket's one thread-safe client
            client.put_object(Bucket=storage.bucket_name, Key=key, Body=body, **params)
            return cleaned_name
        source.seek(0)  # a large file: multipart upload by _save
    return storage._save(name, File(source, name=name))


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
    """Delete every file under ``prefix`` (a content version's files); on a local disk,
    the folders left empty too (object storage has none)."""
    storage = storage or private_storage()
    deleted = _delete_files_under(prefix, storage)
    _remove_empty_folders(storage, deleted)


def _delete_files_under(prefix, storage):
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    deleted = []
    for name in files:
        storage.delete(posixpath.join(prefix, name))
        deleted.append(posixpath.join(prefix, name))
    for directory in directories:
        deleted += _delete_files_under(posixpath.join(prefix, directory) + "/", storage)
    return deleted
