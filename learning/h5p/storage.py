"""Writing a validated package to Django's default storage (local disk or S3).

Libraries are stored once per patch version under ``h5p/libraries/<folder>.<patch>/`` and
each content version under ``h5p/content/<content id>/v<number>/`` (its h5p.json and
content/ folder). Every name written is recorded in a ``WrittenFiles`` so that the
import can remove them all if anything fails afterwards.
"""

import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def library_prefix(library):
    """Storage prefix of one patch version of a library (never reused for other files)."""
    return f"h5p/libraries/{library.ref.folder_name}.{library.patch}/"


def content_prefix(content_id, number):
    return f"h5p/content/{content_id}/v{number}/"


class WrittenFiles:
    """The storage names an import wrote, to delete them if the import fails."""

    def __init__(self, storage=None):
        self.storage = storage or default_storage
        self.names = []

    def write(self, name, data):
        saved = self.storage.save(name, ContentFile(data))
        self.names.append(saved)
        if saved != name:
            # Another import wrote the same immutable path meanwhile; ours is a copy.
            raise FileExistsError(name)

    def replace(self, name, data):
        """Write ``name``, first removing an orphan left there (e.g. by a deleted content
        whose id the database has since reused)."""
        if self.storage.exists(name):
            self.storage.delete(name)
        self.write(name, data)

    def write_if_missing(self, name, data):
        if not self.storage.exists(name):
            self.write(name, data)

    def remove_all(self):
        for name in reversed(self.names):
            self.storage.delete(name)
        self.names.clear()


def write_library(package, library, written: WrittenFiles):
    """Store a library folder under its patch version's prefix.

    Files already there belong to the same immutable patch version (written by an earlier
    import whose database rows were lost, or by a concurrent one): they are kept.
    """
    prefix = library_prefix(library)
    fresh = not written.storage.exists(prefix + "library.json")
    for info in library.files:
        name = posixpath.join(prefix, info.filename[len(library.folder) + 1 :])
        if fresh:
            written.write(name, package.data[info.filename])
        else:
            written.write_if_missing(name, package.data[info.filename])
    return prefix


def write_content(package, prefix, written: WrittenFiles):
    """Store h5p.json and content/ of a package under a new version's prefix."""
    for info in package.content_files:
        written.replace(posixpath.join(prefix, info.filename), package.data[info.filename])
