"""Validation of an ``.h5p`` package against H5P core's rules, before anything is written.

``validate_package`` reads the archive once, streaming every entry it would extract and
counting the bytes it actually inflates (declared sizes are only a first, cheap check),
and either returns a ``ValidatedPackage`` describing what to write or raises
``H5PValidationError`` listing every problem found, each naming the file and the rule.
It touches neither storage nor the database: installed libraries are looked up through
the ``find_installed`` callable the caller passes.
"""

import threading
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from learning.conf import learning_settings

from ..errors import H5PValidationError
from .archive import ArchiveChecks, _sha256
from .libraries import DependencyChecks, LibraryRef, PackageLibrary, play_closure
from .schema import SchemaChecks

__all__ = ["LibraryRef", "PackageLibrary", "ValidatedPackage", "play_closure", "validate_package"]


@dataclass
class ValidatedPackage:
    """What an import writes: the content files, the libraries to install or upgrade, and
    the libraries (package or installed) the content needs to play."""

    filename: str
    sha256: str
    h5p_json: dict
    main_library: LibraryRef
    content_files: list  # ZipInfo of h5p.json and every content/ file
    libraries: dict  # LibraryRef -> PackageLibrary, every library folder of the package
    to_install: list  # PackageLibrary new or with a higher patch than installed
    required: list  # LibraryRef closure needed to play (preloaded + dynamic)
    data: dict = field(default_factory=dict, repr=False)  # .json entry name -> its bytes
    fileobj: object = field(default=None, repr=False)  # the archive validated
    _archive: zipfile.ZipFile = field(default=None, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def title(self):
        return self.h5p_json.get("title", "")

    def open_entry(self, info):
        """A stream of one entry's bytes, read again from the archive validated (any
        thread may call it; the ZIP's CRC check fails the read if a byte differs)."""
        with self._lock:
            if self._archive is None:
                self._archive = zipfile.ZipFile(self.fileobj)
            return self._archive.open(info)


def _error(code, message, **params):
    return ValidationError(message, code=code, params=params)


class _Validator(ArchiveChecks, SchemaChecks, DependencyChecks):
    def __init__(self, fileobj, filename, find_installed, may_install_libraries):
        self.fileobj = fileobj
        self.filename = filename
        self.find_installed = find_installed
        self.may_install_libraries = may_install_libraries
        self.errors = []
        self.max_file_size = learning_settings.LEARNING_H5P_MAX_FILE_SIZE
        self.max_total_size = learning_settings.LEARNING_H5P_MAX_TOTAL_SIZE
        self.max_files = learning_settings.LEARNING_H5P_MAX_FILES
        self.max_ratio = learning_settings.LEARNING_H5P_MAX_COMPRESSION_RATIO
        self.inflated_total = 0
        # .json entry name -> its bytes, for the schema checks; the import streams every
        # file from the archive again, so memory does not grow with the package's size.
        self.data = {}

    def fail(self, code, message, **params):
        self.errors.append(_error(code, message, **params))

    def raise_if_failed(self):
        if self.errors:
            raise H5PValidationError(self.errors)

    def fatal(self, code, message, **params):
        self.fail(code, message, **params)
        raise H5PValidationError(self.errors)

    # -- archive --------------------------------------------------------------------------

    def run(self):
        self.fileobj.seek(0)
        try:
            archive = zipfile.ZipFile(self.fileobj)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            NotImplementedError,  # e.g. a ZIP format version Python cannot read
            OSError,
            EOFError,
            ValueError,
        ):
            self.fatal(
                "not-a-zip",
                _("“%(file)s” is not an H5P package: it cannot be opened as a ZIP archive."),
                file=self.filename,
            )
        with archive:
            infos = archive.infolist()
            self.check_entry_count(infos)
            self.check_names(infos)
            self.check_declared_sizes(infos)
            sha256 = _sha256(self.fileobj)  # after the cheap checks: uploads can be large
            manifest_info, content_infos, library_infos = self.classify(infos)
            self.raise_if_failed()
            self.check_extensions(content_infos, library_infos)
            self.raise_if_failed()
            self.stream(archive, [manifest_info, *content_infos, *library_infos])
            self.raise_if_failed()
            h5p_json, main_library = self.check_h5p_json()
            self.check_content_json(content_infos)
            libraries = self.check_libraries(library_infos)
            self.raise_if_failed()
            to_install, required = self.check_dependencies(h5p_json, libraries)
            self.raise_if_failed()
        return ValidatedPackage(
            filename=self.filename,
            sha256=sha256,
            h5p_json=h5p_json,
            main_library=main_library,
            content_files=[manifest_info, *content_infos],
            libraries=libraries,
            to_install=to_install,
            required=required,
            data=self.data,
            fileobj=self.fileobj,
        )


def validate_package(
    fileobj, *, filename="package.h5p", find_installed=None, may_install_libraries=False
):
    """Check a ``.h5p`` file (a seekable binary file object) against every H5P core rule.

    ``find_installed(refs)`` returns ``{LibraryRef: installed library}`` (objects with
    ``patch_version`` and ``metadata``) for those of ``refs`` already installed.
    Returns a ``ValidatedPackage``; raises ``H5PValidationError`` listing the problems.
    """
    return _Validator(
        fileobj, filename, find_installed or (lambda refs: {}), may_install_libraries
    ).run()
