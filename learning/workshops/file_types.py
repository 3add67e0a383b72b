"""Which files trainers may upload as workshop materials, checked by content, not by name.

Allowed: office documents, PDF, images, audio and video. The extension decides what the
file claims to be; its first bytes (judged by the project's one signature table,
``learning.file_types``) and, for office formats that are ZIP containers, the
container's own markers must agree. Plain ZIP archives, scripts, HTML and SVG are refused
whatever their name, and so are office files that carry macros: VBA projects in Office
Open XML (``vbaProject.bin``) and, in the legacy Office 97-2003 formats (OLE2 compound
files: .doc, .xls, .ppt), VBA projects and Excel 4 macro sheets as found by ``oletools``,
the maintained analyser made for this job.
"""

import posixpath
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from learning.conf import learning_settings
from learning.file_types import HEAD_SIZE, SIGNATURES


@dataclass(frozen=True)
class FileType:
    content_type: str
    description: str


# extension -> (content type, container check); the first bytes are judged by the
# project's one signature table (``learning.file_types``).
ALLOWED_TYPES = {
    "pdf": ("application/pdf", None),
    "doc": ("application/msword", ("ole2", None)),
    "xls": ("application/vnd.ms-excel", ("ole2", None)),
    "ppt": ("application/vnd.ms-powerpoint", ("ole2", None)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("ooxml", "word/"),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("ooxml", "xl/"),
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("ooxml", "ppt/"),
    ),
    "odt": (
        "application/vnd.oasis.opendocument.text",
        ("odf", "application/vnd.oasis.opendocument.text"),
    ),
    "ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        ("odf", "application/vnd.oasis.opendocument.spreadsheet"),
    ),
    "odp": (
        "application/vnd.oasis.opendocument.presentation",
        ("odf", "application/vnd.oasis.opendocument.presentation"),
    ),
    "rtf": ("application/rtf", None),
    "png": ("image/png", None),
    "jpg": ("image/jpeg", None),
    "jpeg": ("image/jpeg", None),
    "gif": ("image/gif", None),
    "webp": ("image/webp", None),
    "mp3": ("audio/mpeg", None),
    "m4a": ("audio/mp4", None),
    "wav": ("audio/wav", None),
    "ogg": ("audio/ogg", None),
    "mp4": ("video/mp4", None),
    "m4v": ("video/mp4", None),
    "mov": ("video/quicktime", None),
    "webm": ("video/webm", None),
    "ogv": ("video/ogg", None),
}

MACRO_MARKERS = ("vbaproject.bin", "vbaprojectsignature.bin")


def allowed_extensions():
    return sorted(ALLOWED_TYPES)


def max_file_size():
    return learning_settings.LEARNING_MATERIAL_MAX_FILE_SIZE


def extension_of(filename):
    return posixpath.splitext(filename or "")[1].lstrip(".").lower()


def validate_material_file(uploaded, filename=None):
    """Check an uploaded file; return its ``FileType`` or raise ``ValidationError`` with a
    message naming the file and the problem. Reads the file, then rewinds it."""
    name = posixpath.basename(filename or getattr(uploaded, "name", "") or "")
    if not name:
        raise ValidationError(_("The file has no name."), code="no_name")
    extension = extension_of(name)
    if not extension:
        raise ValidationError(
            _("“%(name)s” has no file extension, so its type cannot be checked.") % {"name": name},
            code="no_extension",
        )
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("“%(name)s”: .%(extension)s files are not accepted. Allowed types: %(allowed)s.")
            % {"name": name, "extension": extension, "allowed": ", ".join(allowed_extensions())},
            code="extension",
        )
    size = uploaded.size
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    limit = max_file_size()
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the largest file accepted is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    content_type, container = ALLOWED_TYPES[extension]
    signature = SIGNATURES[extension]
    description = signature.description
    uploaded.seek(0)
    head = uploaded.read(HEAD_SIZE)
    uploaded.seek(0)
    if not signature.matches(head):
        raise ValidationError(
            _(
                "“%(name)s” is named .%(extension)s but its content is not a %(type)s file. "
                "Save it again in that format, or give it the right extension."
            )
            % {"name": name, "extension": extension, "type": description},
            code="content_mismatch",
        )
    if container:
        _check_container(uploaded, name, extension, description, container)
        uploaded.seek(0)
    return FileType(content_type=content_type, description=description)


def _macros_refused(name, extension):
    return ValidationError(
        _(
            "“%(name)s” contains macros. Save it as a macro-free .%(extension)s "
            "document and upload it again."
        )
        % {"name": name, "extension": extension},
        code="macros",
    )


def _damaged(name, description):
    return ValidationError(
        _("“%(name)s” is damaged: it cannot be opened as a %(type)s document.")
        % {"name": name, "type": description},
        code="damaged",
    )


def _check_ole2(uploaded, name, extension, description):
    """Refuse a legacy Office file that carries a VBA project or Excel 4 macros."""
    from oletools.olevba import VBA_Parser  # imported when needed: a large module

    path = getattr(uploaded, "temporary_file_path", None)
    try:
        if path:  # a large upload, already on disk: read by path, not into memory
            parser = VBA_Parser(path())
        else:
            uploaded.seek(0)
            parser = VBA_Parser(name, data=uploaded.read())
        try:
            has_macros = parser.detect_macros()
        finally:
            parser.close()
    # oletools raises many kinds of errors on broken or hostile compound files; each one
    # means the same thing to the trainer: the file cannot be read as that document.
    except Exception:
        raise _damaged(name, description) from None
    if has_macros:
        raise _macros_refused(name, extension)


def _check_container(uploaded, name, extension, description, container):
    family, marker = container
    if family == "ole2":
        _check_ole2(uploaded, name, extension, description)
        return
    not_a_document = ValidationError(
        _(
            "“%(name)s” is a ZIP archive, not a %(type)s document. Archives are not "
            "accepted: upload the documents one by one."
        )
        % {"name": name, "type": description},
        code="plain_zip",
    )
    try:
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
            lowered = [entry.lower() for entry in names]
            if family == "ooxml":
                if "[Content_Types].xml" not in names or not any(
                    entry.startswith(marker) for entry in names
                ):
                    raise not_a_document
                if any(entry.rsplit("/", 1)[-1] in MACRO_MARKERS for entry in lowered):
                    raise _macros_refused(name, extension)
            else:
                # ODF: the first entry is "mimetype", stored uncompressed, naming the format.
                if not infos or infos[0].filename != "mimetype":
                    raise not_a_document
                if archive.read(infos[0]).strip() != marker.encode():
                    raise ValidationError(
                        _(
                            "“%(name)s” is an OpenDocument file of another kind than its "
                            ".%(extension)s name says."
                        )
                        % {"name": name, "extension": extension},
                        code="content_mismatch",
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError):
        raise _damaged(name, description) from None
