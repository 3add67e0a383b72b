"""Archive checks of an H5P package: entry names and counts, sizes counted while
inflating, H5P core's file allowlists, and the bytes of every content file (the
project's file signatures, ``learning.file_types``, for binary types; no markup in text
types). Mixed into ``validator._Validator``."""

import hashlib
import posixpath
import re
import stat
import unicodedata
import zipfile
import zlib

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from learning.file_types import SIGNATURES

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


# Longest entry name and name segment: object storage keys are at most 1,024 bytes and
# disk file names 255, with room left for the storage prefix and a library's ".<patch>".
MAX_PATH_BYTES = 900
MAX_SEGMENT_BYTES = 240
# Invisible characters that reorder how a name is displayed ("txt.exe" shown as "exe.txt").
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
SHOWN_LENGTH = 120


def _is_control(char):
    """C0 (with NUL), DEL and C1 control characters."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F


def _shown(name):
    """``name`` safe to put in a message: control and direction characters written as
    ``\\uXXXX``, an over-long name shortened."""
    text = "".join(
        f"\\u{ord(char):04x}" if _is_control(char) or char in BIDI_CONTROLS else char
        for char in name
    )
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


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


class ArchiveChecks:
    """What the archive may hold and what its files' bytes must look like."""

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
            elif (
                not name.strip("/")
                or "//" in name
                or "\x00" in info.orig_filename
                or any(_is_control(char) for char in name)
            ):
                # zipfile cuts a name at NUL ("a.json\0.png" reads as "a.json"): the name
                # as stored is checked.
                self.fail(
                    "invalid-name",
                    _(
                        "“%(file)s”: the file name is empty or contains control characters "
                        "(such as NUL, DEL or line breaks)."
                    ),
                    file=_shown(info.orig_filename),
                )
            elif any(char in BIDI_CONTROLS for char in name):
                self.fail(
                    "bidi-control",
                    _(
                        "“%(file)s”: the file name contains an invisible text-direction "
                        "character (such as a right-to-left override), which can disguise "
                        "what the file is."
                    ),
                    file=_shown(name),
                )
            elif len(name.encode()) > MAX_PATH_BYTES:
                self.fail(
                    "name-too-long",
                    _("“%(file)s”: the path is longer than %(limit)d bytes."),
                    file=_shown(name),
                    limit=MAX_PATH_BYTES,
                )
            elif any(len(segment.encode()) > MAX_SEGMENT_BYTES for segment in name.split("/")):
                self.fail(
                    "name-too-long",
                    _(
                        "“%(file)s”: a file or folder name in this path is longer than "
                        "%(limit)d bytes."
                    ),
                    file=_shown(name),
                    limit=MAX_SEGMENT_BYTES,
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
        self.check_files_against_folders(infos)
        self.raise_if_failed()

    def check_files_against_folders(self, infos):
        """A name that is a file and also the folder of another entry cannot be extracted
        (``content/a`` and ``content/a/b.png``)."""
        files, folders = {}, set()
        for info in infos:
            if not info.filename.strip("/"):
                continue  # an empty name is refused by check_names (ZipInfo.is_dir fails on it)
            parts = unicodedata.normalize("NFC", info.filename).casefold().strip("/").split("/")
            if info.filename.endswith("/"):
                folders.add("/".join(parts))
            else:
                files["/".join(parts)] = info.filename
            folders.update("/".join(parts[:end]) for end in range(1, len(parts)))
        for key in sorted(files.keys() & folders):
            self.fail(
                "file-and-folder",
                _("“%(file)s” is both a file and a folder in this package; rename one of them."),
                file=_shown(files[key]),
            )

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
            keep = extension == "json"  # read by the schema checks; the rest is streamed
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
                        if keep:
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
            if keep:
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
        signature = SIGNATURES[extension]
        if not signature.matches(head):
            self.fail(
                "magic-mismatch",
                _(
                    "“%(file)s” is not a %(kind)s file, although its name ends in "
                    ".%(extension)s; save it in its real format."
                ),
                file=name,
                kind=signature.description,
                extension=extension,
            )

    def not_json_data(self, name):
        self.fail(
            "magic-mismatch",
            _("“%(file)s” does not contain JSON data."),
            file=name,
        )
