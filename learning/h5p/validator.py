"""Validation of an ``.h5p`` package against H5P core's rules, before anything is written.

``validate_package`` reads the archive once, streaming every entry it would extract and
counting the bytes it actually inflates (declared sizes are only a first, cheap check),
and either returns a ``ValidatedPackage`` describing what to write or raises
``H5PValidationError`` listing every problem found, each naming the file and the rule.
It touches neither storage nor the database: installed libraries are looked up through
the ``find_installed`` callable the caller passes.
"""

import hashlib
import json
import posixpath
import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from learning.conf import learning_settings

from .errors import H5PValidationError

# H5P core's default content allowlist, without "swf".
CONTENT_EXTENSIONS = frozenset(
    {
        "json",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "tif",
        "tiff",
        "eot",
        "ttf",
        "woff",
        "woff2",
        "otf",
        "webm",
        "mp4",
        "ogg",
        "mp3",
        "m4a",
        "wav",
        "txt",
        "pdf",
        "rtf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "csv",
        "diff",
        "patch",
        "md",
        "textile",
        "vtt",
        "webvtt",
        "gltf",
        "glb",
    }
)
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css", "svg", "xml"}
# Named separately so the author is told why, not just "not allowed".
SCRIPTABLE_EXTENSIONS = frozenset({"svg", "js", "html", "htm", "xhtml", "xml", "mjs"})
TEXT_EXTENSIONS = frozenset(
    {"json", "gltf", "txt", "csv", "md", "textile", "diff", "patch", "vtt", "webvtt"}
)
MAX_CORE_API = (1, 28)
LANGUAGE_CODE_RE = re.compile(r"^[-a-zA-Z]{1,10}$")
LANGUAGE_FILE_RE = re.compile(r"^(-?[a-z]+){1,7}\.json$")
MACHINE_NAME_RE = re.compile(r"^[\w.-]{1,255}$")
VERSION_RE = re.compile(r"^\d{1,5}$")
EMBED_TYPES = frozenset({"iframe", "div"})
# Markup a browser would sniff as HTML/SVG/XML at the start of a "text" file.
MARKUP_RE = re.compile(
    rb"^\s*<(?:!doctype|html|head|body|script|iframe|style|title|svg|\?xml|!--|"
    rb"h1|div|font|table|a|b|br|p)(?:[\s>/]|$)",
    re.IGNORECASE,
)
CHUNK_SIZE = 256 * 1024
HEAD_SIZE = 1024
# Below this size a high ratio is harmless (a few KiB of zeros compress 100-fold).
RATIO_THRESHOLD = 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"


def _starts(*prefixes):
    return lambda head: head.startswith(prefixes)


def _is_mp3(head):
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


# extension -> (kind named in errors, test on the first bytes)
SIGNATURES = {
    "png": ("PNG", _starts(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("JPEG", _starts(b"\xff\xd8\xff")),
    "jpeg": ("JPEG", _starts(b"\xff\xd8\xff")),
    "gif": ("GIF", _starts(b"GIF87a", b"GIF89a")),
    "bmp": ("BMP", _starts(b"BM")),
    "tif": ("TIFF", _starts(b"II*\x00", b"MM\x00*")),
    "tiff": ("TIFF", _starts(b"II*\x00", b"MM\x00*")),
    "webm": ("WebM", _starts(b"\x1a\x45\xdf\xa3")),
    "mp4": ("MP4", lambda head: head[4:8] == b"ftyp"),
    "m4a": ("M4A", lambda head: head[4:8] == b"ftyp"),
    "ogg": ("Ogg", _starts(b"OggS")),
    "mp3": ("MP3", _is_mp3),
    "wav": ("WAV", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WAVE"),
    "pdf": ("PDF", _starts(b"%PDF-")),
    "rtf": ("RTF", _starts(b"{\\rtf")),
    "woff": ("WOFF", _starts(b"wOFF")),
    "woff2": ("WOFF2", _starts(b"wOF2")),
    "ttf": ("TrueType", _starts(b"\x00\x01\x00\x00", b"true", b"typ1")),
    "otf": ("OpenType", _starts(b"OTTO", b"\x00\x01\x00\x00")),
    "eot": ("EOT", lambda head: head[34:36] == b"LP"),
    "docx": ("Word", _starts(ZIP_SIGNATURE)),
    "xlsx": ("Excel", _starts(ZIP_SIGNATURE)),
    "pptx": ("PowerPoint", _starts(ZIP_SIGNATURE)),
    "odt": ("OpenDocument", _starts(ZIP_SIGNATURE)),
    "ods": ("OpenDocument", _starts(ZIP_SIGNATURE)),
    "odp": ("OpenDocument", _starts(ZIP_SIGNATURE)),
    "doc": ("Word", _starts(OLE_SIGNATURE)),
    "xls": ("Excel", _starts(OLE_SIGNATURE)),
    "ppt": ("PowerPoint", _starts(OLE_SIGNATURE)),
    "glb": ("glTF binary", _starts(b"glTF")),
}


@dataclass(frozen=True, order=True)
class LibraryRef:
    """A library as dependencies name it: machine name and major.minor version."""

    machine_name: str
    major: int
    minor: int

    def __str__(self):
        return f"{self.machine_name} {self.major}.{self.minor}"

    @property
    def folder_name(self):
        return f"{self.machine_name}-{self.major}.{self.minor}"


@dataclass
class PackageLibrary:
    """A library folder of the package, with its library.json."""

    ref: LibraryRef
    patch: int
    folder: str
    metadata: dict
    files: list = field(default_factory=list)  # ZipInfo of every file to extract

    @property
    def version(self):
        return f"{self.ref.major}.{self.ref.minor}.{self.patch}"

    def dependencies(self, kinds=("preloadedDependencies", "dynamicDependencies")):
        return _dependency_refs(self.metadata, kinds)


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
    data: dict = field(default_factory=dict, repr=False)  # entry name -> validated bytes

    @property
    def title(self):
        return self.h5p_json.get("title", "")


def _error(code, message, **params):
    return ValidationError(message, code=code, params=params)


def _version(value):
    """A version number as H5P packages write it: an int or a string of digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 <= value <= 99999:
        return value
    if isinstance(value, str) and VERSION_RE.match(value):
        return int(value)
    return None


def _dependency_refs(data, kinds):
    refs = []
    for kind in kinds:
        dependencies = data.get(kind)
        if not isinstance(dependencies, list):
            continue
        for dependency in dependencies:
            ref = _dependency_ref(dependency)
            if ref is not None:
                refs.append(ref)
    return refs


def _dependency_ref(dependency):
    if not isinstance(dependency, dict):
        return None
    name = dependency.get("machineName")
    major = _version(dependency.get("majorVersion"))
    minor = _version(dependency.get("minorVersion"))
    if not isinstance(name, str) or not MACHINE_NAME_RE.match(name) or None in (major, minor):
        return None
    return LibraryRef(name, major, minor)


def _extension(name):
    base = posixpath.basename(name)
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def _is_skipped(name):
    """Entries H5P core ignores: any segment starting with "." or "_" (__MACOSX, .DS_Store)."""
    return any(segment.startswith((".", "_")) for segment in name.split("/") if segment)


def _sha256(fileobj):
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(CHUNK_SIZE), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


class _Validator:
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
        # Entry name -> the bytes read while validating: the import writes exactly these
        # (never re-reading the archive), so peak memory is the unpacked size, which the
        # size limits cap.
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
        )

    def check_entry_count(self, infos):
        if len(infos) > self.max_files:
            self.fatal(
                "too-many-files",
                _(
                    "“%(file)s” contains %(count)s files; an H5P package may hold at most "
                    "%(limit)s."
                ),
                file=self.filename,
                count=len(infos),
                limit=self.max_files,
            )

    def check_names(self, infos):
        seen = {}
        for info in infos:
            name = info.filename
            if "\\" in name:
                self.fail(
                    "backslash",
                    _("“%(file)s”: file names in an H5P package must use “/”, not backslashes."),
                    file=name,
                )
            elif name.startswith("/") or re.match(r"^[A-Za-z]:", name):
                self.fail(
                    "absolute-path",
                    _("“%(file)s”: absolute paths are not allowed in an H5P package."),
                    file=name,
                )
            elif any(segment in (".", "..") for segment in name.split("/")):
                self.fail(
                    "zip-slip",
                    _(
                        "“%(file)s”: “..” and “.” path segments are not allowed (they could "
                        "write outside the package's folder)."
                    ),
                    file=name,
                )
            elif not name.strip("/") or "//" in name or any(ord(char) < 32 for char in name):
                self.fail(
                    "invalid-name",
                    _("“%(file)s”: the file name is empty or contains control characters."),
                    file=name,
                )
            if info.flag_bits & 0x1:
                self.fail(
                    "encrypted",
                    _("“%(file)s” is encrypted; H5P packages must not be password-protected."),
                    file=name,
                )
            if stat.S_ISLNK(info.external_attr >> 16):
                self.fail(
                    "symlink",
                    _("“%(file)s” is a symbolic link; links are not allowed in H5P packages."),
                    file=name,
                )
            key = unicodedata.normalize("NFC", name.rstrip("/")).casefold()
            if key in seen:
                self.fail(
                    "duplicate-name",
                    _(
                        "“%(file)s” is in the package twice (as “%(other)s”); names are "
                        "compared ignoring upper and lower case."
                    ),
                    file=name,
                    other=seen[key],
                )
            else:
                seen[key] = name
        self.raise_if_failed()

    def check_declared_sizes(self, infos):
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > self.max_file_size:
                self.file_too_large(info.filename, info.file_size)
        if total > self.max_total_size:
            self.package_too_large()

    def file_too_large(self, name, size):
        self.fatal(
            "file-too-large",
            _("“%(file)s” is %(size)s unpacked; each file may be at most %(limit)s."),
            file=name,
            size=filesizeformat(size),
            limit=filesizeformat(self.max_file_size),
        )

    def package_too_large(self):
        self.fatal(
            "package-too-large",
            _("“%(file)s” is larger than %(limit)s unpacked."),
            file=self.filename,
            limit=filesizeformat(self.max_total_size),
        )

    def classify(self, infos):
        manifest_info = None
        content_infos, library_infos = [], []
        for info in infos:
            name = info.filename
            if info.is_dir() or _is_skipped(name):
                continue
            if "/" not in name:
                if name == "h5p.json":
                    manifest_info = info
                # Other top-level files (H5P_CONTENT_HERE.txt, h5p-pr.json) are ignored.
                continue
            if name.startswith("content/"):
                content_infos.append(info)
            else:
                library_infos.append(info)
        if manifest_info is None:
            self.fatal(
                "missing-h5p-json",
                _("“%(file)s” has no h5p.json at its top level; it is not an H5P package."),
                file=self.filename,
            )
        return manifest_info, content_infos, library_infos

    def check_extensions(self, content_infos, library_infos):
        for area, infos, allowed in (
            ("content", content_infos, CONTENT_EXTENSIONS),
            ("library", library_infos, LIBRARY_EXTENSIONS),
        ):
            for info in infos:
                extension = _extension(info.filename)
                if not extension:
                    self.fail(
                        "no-extension",
                        _("“%(file)s” has no file extension; every file needs one."),
                        file=info.filename,
                    )
                elif area == "content" and extension in SCRIPTABLE_EXTENSIONS:
                    self.fail(
                        "scriptable-content",
                        _(
                            "“%(file)s”: .%(extension)s files are not allowed in content/ "
                            "(they can run scripts in the learner's browser)."
                        ),
                        file=info.filename,
                        extension=extension,
                    )
                elif extension not in allowed:
                    self.fail(
                        "extension-not-allowed",
                        _("“%(file)s”: .%(extension)s files are not allowed in H5P packages."),
                        file=info.filename,
                        extension=extension,
                    )

    # -- bytes ----------------------------------------------------------------------------

    def stream(self, archive, infos):
        for info in infos:
            name = info.filename
            is_content = name.startswith("content/")
            extension = _extension(name)
            text = is_content and extension in TEXT_EXTENSIONS
            head, chunks, size = b"", [], 0
            try:
                with archive.open(info) as entry:
                    while chunk := entry.read(CHUNK_SIZE):
                        size += len(chunk)
                        self.inflated_total += len(chunk)
                        if size > self.max_file_size:
                            self.file_too_large(name, size)
                        if self.inflated_total > self.max_total_size:
                            self.package_too_large()
                        if size > RATIO_THRESHOLD and size > self.max_ratio * max(
                            info.compress_size, 1
                        ):
                            self.fatal(
                                "compression-ratio",
                                _(
                                    "“%(file)s” expands more than %(ratio)s times its "
                                    "compressed size; the package looks like a ZIP bomb."
                                ),
                                file=name,
                                ratio=self.max_ratio,
                            )
                        if len(head) < HEAD_SIZE:
                            head += chunk[: HEAD_SIZE - len(head)]
                        chunks.append(chunk)
                        if text and b"\x00" in chunk:
                            text = False
                            self.not_text(name, extension)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
                # Damaged headers or data: bad CRC, truncated data, offsets out of range.
                self.fatal(
                    "corrupt-entry",
                    _(
                        "“%(file)s” is damaged in the archive (%(reason)s); export the "
                        "package again."
                    ),
                    file=name,
                    reason=str(exc),
                )
            except NotImplementedError:
                self.fatal(
                    "unsupported-compression",
                    _("“%(file)s” is compressed with a method H5P packages do not use."),
                    file=name,
                )
            self.data[name] = b"".join(chunks)
            if is_content:
                self.check_signature(name, extension, head, text)

    def not_text(self, name, extension):
        self.fail(
            "not-text",
            _("“%(file)s” is not a text file, as .%(extension)s files must be."),
            file=name,
            extension=extension,
        )

    def check_signature(self, name, extension, head, still_text):
        if extension in TEXT_EXTENSIONS:
            if not still_text:
                return  # already reported
            stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
            if MARKUP_RE.match(stripped):
                self.fail(
                    "markup-in-text",
                    _(
                        "“%(file)s” contains HTML or SVG markup, which is not allowed in a "
                        ".%(extension)s file."
                    ),
                    file=name,
                    extension=extension,
                )
            elif extension in ("json", "gltf") and stripped[:1] not in (b"{", b"["):
                self.not_json_data(name)
            elif extension in ("vtt", "webvtt") and not stripped.startswith(b"WEBVTT"):
                self.fail(
                    "magic-mismatch",
                    _("“%(file)s” is not a WebVTT subtitle file (it must start with WEBVTT)."),
                    file=name,
                )
            return
        kind, matches = SIGNATURES[extension]
        if not matches(head):
            self.fail(
                "magic-mismatch",
                _(
                    "“%(file)s” is not a %(kind)s file, although its name ends in "
                    ".%(extension)s; save it in its real format."
                ),
                file=name,
                kind=kind,
                extension=extension,
            )

    def not_json_data(self, name):
        self.fail(
            "magic-mismatch",
            _("“%(file)s” does not contain JSON data."),
            file=name,
        )

    # -- JSON files -----------------------------------------------------------------------

    def load_json(self, name, code):
        try:
            data = json.loads(self.data[name].decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            self.fail(
                code.replace("-invalid", "-syntax"),
                _("“%(file)s” is not valid JSON (%(reason)s)."),
                file=name,
                reason=str(exc),
            )
            return None
        if not isinstance(data, dict):
            self.fail(
                code,
                _("“%(file)s” must hold a JSON object."),
                file=name,
                reason="",
            )
            return None
        return data

    def invalid_field(self, code, name, field_name, rule):
        self.fail(
            code,
            _("“%(file)s”: “%(field)s” %(rule)s."),
            file=name,
            field=field_name,
            rule=rule,
        )

    def check_title(self, code, name, data):
        title = data.get("title")
        if not isinstance(title, str) or not 1 <= len(title.strip()) <= 255:
            self.invalid_field(code, name, "title", _("is required: a text of 1 to 255 characters"))

    def check_dependency_list(self, code, name, data, key, required=False):
        value = data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            self.invalid_field(
                code,
                name,
                key,
                _("must be a non-empty list of libraries")
                if required
                else _("must be a list of libraries"),
            )
            return []
        refs = []
        for dependency in value:
            ref = _dependency_ref(dependency)
            if ref is None:
                self.invalid_field(
                    code,
                    name,
                    key,
                    _(
                        "must only list objects with a machineName, a majorVersion and a "
                        "minorVersion"
                    ),
                )
                return []
            refs.append(ref)
        return refs

    def check_h5p_json(self):
        name = "h5p.json"
        code = "h5p-json-invalid"
        data = self.load_json(name, code)
        if data is None:
            raise H5PValidationError(self.errors)
        self.check_title(code, name, data)
        language = data.get("language")
        if not isinstance(language, str) or not LANGUAGE_CODE_RE.match(language):
            self.invalid_field(
                code, name, "language", _("is required: a language code such as “en” or “pt-br”")
            )
        embed_types = data.get("embedTypes")
        if (
            not isinstance(embed_types, list)
            or not embed_types
            or not all(isinstance(kind, str) and kind in EMBED_TYPES for kind in embed_types)
        ):
            self.invalid_field(
                code, name, "embedTypes", _("is required: a list of “iframe” and/or “div”")
            )
        refs = self.check_dependency_list(code, name, data, "preloadedDependencies", True)
        main = data.get("mainLibrary")
        main_library = None
        if not isinstance(main, str) or not MACHINE_NAME_RE.match(main):
            self.invalid_field(
                code, name, "mainLibrary", _("is required: the machine name of a library")
            )
        elif refs:
            main_library = next((ref for ref in refs if ref.machine_name == main), None)
            if main_library is None:
                self.invalid_field(
                    code,
                    name,
                    "mainLibrary",
                    _("must be one of the libraries listed in “preloadedDependencies”"),
                )
        self.raise_if_failed()
        return data, main_library

    def check_content_json(self, content_infos):
        name = "content/content.json"
        if name not in self.data:
            self.fail(
                "missing-content-json",
                _("“%(file)s” has no content/content.json; it is not an H5P content package."),
                file=self.filename,
            )
            return
        self.load_json(name, "content-json-invalid")

    def check_libraries(self, library_infos):
        folders = {}
        for info in library_infos:
            folder = info.filename.split("/", 1)[0]
            folders.setdefault(folder, []).append(info)
        libraries = {}
        for folder, infos in sorted(folders.items()):
            library = self.check_library(folder, infos)
            if library is None:
                continue
            if library.ref in libraries:
                self.fail(
                    "duplicate-library",
                    _("%(library)s is in the package twice: in “%(folder)s/” and “%(other)s/”."),
                    library=str(library.ref),
                    folder=folder,
                    other=libraries[library.ref].folder,
                )
                continue
            libraries[library.ref] = library
        return libraries

    def check_library(self, folder, infos):
        name = f"{folder}/library.json"
        code = "library-json-invalid"
        if name not in self.data:
            self.fail(
                "missing-library-json",
                _("The folder “%(folder)s/” has no library.json; it is not an H5P library."),
                folder=folder,
                file=name,
            )
            return None
        data = self.load_json(name, code)
        if data is None:
            return None
        errors_before = len(self.errors)
        self.check_title(code, name, data)
        machine_name = data.get("machineName")
        if not isinstance(machine_name, str) or not MACHINE_NAME_RE.match(machine_name):
            self.invalid_field(
                code, name, "machineName", _("is required: letters, digits, “.”, “-” or “_”")
            )
        versions = {}
        for key in ("majorVersion", "minorVersion", "patchVersion"):
            versions[key] = _version(data.get(key))
            if versions[key] is None:
                self.invalid_field(code, name, key, _("is required: a whole number"))
        if data.get("runnable") not in (0, 1, "0", "1", True, False):
            self.invalid_field(code, name, "runnable", _("is required: 0 or 1"))
        for key in ("preloadedDependencies", "dynamicDependencies", "editorDependencies"):
            self.check_dependency_list(code, name, data, key)
        if len(self.errors) > errors_before:
            return None
        ref = LibraryRef(machine_name, versions["majorVersion"], versions["minorVersion"])
        if folder not in (machine_name, ref.folder_name):
            self.fail(
                "library-folder-name",
                _(
                    "“%(file)s” describes %(library)s, so its folder must be named "
                    "“%(expected)s”, not “%(folder)s”."
                ),
                file=name,
                library=str(ref),
                expected=ref.folder_name,
                folder=folder,
            )
            return None
        names = {info.filename for info in infos}
        for key in ("preloadedJs", "preloadedCss"):
            files = data.get(key) or []
            if not isinstance(files, list) or not all(
                isinstance(item, dict) and isinstance(item.get("path"), str) for item in files
            ):
                self.invalid_field(code, name, key, _("must be a list of {“path”: …} objects"))
                continue
            for item in files:
                if f"{folder}/{item['path']}" not in names:
                    self.fail(
                        "missing-preloaded-file",
                        _("“%(file)s” lists “%(path)s” in %(key)s, but the package lacks it."),
                        file=name,
                        path=item["path"],
                        key=key,
                    )
        self.check_core_api(name, ref, data)
        self.check_language_files(folder, infos)
        return PackageLibrary(
            ref=ref,
            patch=versions["patchVersion"],
            folder=folder,
            metadata=data,
            files=infos,
        )

    def check_core_api(self, name, ref, data):
        core_api = data.get("coreApi")
        if core_api is None:
            return
        major = _version(core_api.get("majorVersion")) if isinstance(core_api, dict) else None
        minor = _version(core_api.get("minorVersion")) if isinstance(core_api, dict) else None
        if major is None or minor is None:
            self.invalid_field(
                "library-json-invalid",
                name,
                "coreApi",
                _("must give a majorVersion and a minorVersion"),
            )
        elif (major, minor) > MAX_CORE_API:
            self.fail(
                "core-api",
                _(
                    "“%(file)s”: %(library)s needs H5P core %(needed)s; this site provides "
                    "H5P core %(provided)s."
                ),
                file=name,
                library=str(ref),
                needed=f"{major}.{minor}",
                provided="{}.{}".format(*MAX_CORE_API),
            )

    def check_language_files(self, folder, infos):
        prefix = f"{folder}/language/"
        for info in infos:
            if not info.filename.startswith(prefix) or "/" in info.filename[len(prefix) :]:
                continue
            base = info.filename[len(prefix) :]
            if not LANGUAGE_FILE_RE.match(base):
                self.fail(
                    "language-file-name",
                    _(
                        "“%(file)s”: language files must be named by a lowercase language "
                        "code, like “fr.json” or “pt-br.json”."
                    ),
                    file=info.filename,
                )
            else:
                self.load_json(info.filename, "language-file-invalid")

    # -- libraries: dependencies and trust --------------------------------------------------

    def check_dependencies(self, h5p_json, libraries):
        needs = {}  # ref -> file that first needs it
        for ref in _dependency_refs(h5p_json, ["preloadedDependencies"]):
            needs.setdefault(ref, "h5p.json")
        all_kinds = ("preloadedDependencies", "dynamicDependencies", "editorDependencies")
        for library in libraries.values():
            for ref in library.dependencies(all_kinds):
                needs.setdefault(ref, f"{library.folder}/library.json")
        installed = dict(self.find_installed(set(needs) | set(libraries)))
        for ref, needed_by in sorted(needs.items()):
            if ref not in libraries and ref not in installed:
                self.fail(
                    "missing-dependency",
                    _(
                        "“%(file)s” needs the library %(library)s, which is neither in the "
                        "package nor installed on this site."
                    ),
                    file=needed_by,
                    library=str(ref),
                )
        to_install, new, upgrades = [], [], []
        for ref, library in sorted(libraries.items()):
            current = installed.get(ref)
            if current is not None and current.patch_version >= library.patch:
                continue
            described = f"{ref.machine_name} {library.version} (“{library.folder}/”)"
            if self.may_install_libraries:
                to_install.append(library)
            elif current is None:
                new.append(described)
            else:
                upgrades.append(
                    _("%(library)s, installed: %(installed)s")
                    % {"library": described, "installed": current.version}
                )
        if new:
            self.fail(
                "library-not-installed",
                _(
                    "The package brings libraries that are not installed on this site: "
                    "%(libraries)s. Only users allowed to install H5P libraries may add "
                    "libraries; ask a site administrator to import this package."
                ),
                libraries="; ".join(new),
            )
        if upgrades:
            self.fail(
                "library-upgrade-not-allowed",
                _(
                    "The package brings newer versions of installed libraries: "
                    "%(libraries)s. Only users allowed to install H5P libraries may upgrade "
                    "libraries; ask a site administrator to import this package."
                ),
                libraries="; ".join(upgrades),
            )
        if self.errors:
            return [], []
        return to_install, self.play_closure(h5p_json, libraries, installed, to_install)

    def play_closure(self, h5p_json, libraries, installed, to_install):
        """Libraries the content loads to play, as they will be after the import."""
        effective = {ref: installed[ref].metadata for ref in installed}
        effective.update({library.ref: library.metadata for library in to_install})
        for ref, library in libraries.items():
            effective.setdefault(ref, library.metadata)
        return play_closure(h5p_json, effective, self.find_installed)


def play_closure(h5p_json, known, find_installed):
    """The libraries (``LibraryRef``) a content loads to play: the preloaded and dynamic
    dependencies of h5p.json, recursively. ``known`` maps refs to library.json data;
    others are looked up with ``find_installed``."""
    known = dict(known)
    kinds = ("preloadedDependencies", "dynamicDependencies")
    pending = _dependency_refs(h5p_json, ["preloadedDependencies"])
    required = set()
    while pending:
        ref = pending.pop()
        if ref in required:
            continue
        if ref not in known:
            for key, library in find_installed({ref}).items():
                known[key] = library.metadata
        if ref not in known:
            continue  # checked when its dependent was installed; nothing to load
        required.add(ref)
        pending.extend(_dependency_refs(known[ref], kinds))
    return sorted(required)


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
