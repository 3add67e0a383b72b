"""File signatures ("magic bytes"): what the first bytes of a file of each type look like.

One table for the whole project. The content files of H5P packages (``learning.h5p``)
and workshop materials (``learning.workshops``) are both checked against it, so a type
is judged the same way wherever it is uploaded. Each room keeps its own allowlist (which
extensions it accepts at all) and its own container checks; this module only says
whether a file's first bytes are those of the type its extension claims.

The MP4 family (``mp4``, ``m4a``, ``m4v``) must start with the ISO base media ``ftyp``
box: ISO/IEC 14496-12 places it before any variable-length box, and browsers sniff MP4
by it. Only QuickTime (``mov``) files may also start with an older atom (``moov``,
``mdat``, ``wide``, ``free``), as files written by early QuickTime versions do.
"""

from collections.abc import Callable
from dataclasses import dataclass

# Enough for every check below (EOT's magic number is at offset 34).
HEAD_SIZE = 64

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 (doc, xls, ppt)
ZIP = b"PK\x03\x04"  # Office Open XML and OpenDocument are ZIP containers


@dataclass(frozen=True)
class FileSignature:
    description: str  # the type as messages name it: "PNG", "Word", "MP4"...
    matches: Callable[[bytes], bool]  # given the file's first HEAD_SIZE bytes (or fewer)


def _starts(*prefixes):
    return lambda head: head.startswith(prefixes)


def _riff(form):
    return lambda head: head[:4] == b"RIFF" and head[8:12] == form


def _iso_media(head):
    return head[4:8] == b"ftyp"


def _quicktime(head):
    return head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free")


def _mp3(head):
    # An ID3 tag, or straight into an MPEG audio frame (11 sync bits set).
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


SIGNATURES = {
    # images
    "png": FileSignature("PNG", _starts(b"\x89PNG\r\n\x1a\n")),
    "jpg": FileSignature("JPEG", _starts(b"\xff\xd8\xff")),
    "jpeg": FileSignature("JPEG", _starts(b"\xff\xd8\xff")),
    "gif": FileSignature("GIF", _starts(b"GIF87a", b"GIF89a")),
    "webp": FileSignature("WebP", _riff(b"WEBP")),
    "bmp": FileSignature("BMP", _starts(b"BM")),
    "tif": FileSignature("TIFF", _starts(b"II*\x00", b"MM\x00*")),
    "tiff": FileSignature("TIFF", _starts(b"II*\x00", b"MM\x00*")),
    # audio and video
    "mp3": FileSignature("MP3", _mp3),
    "m4a": FileSignature("M4A", _iso_media),
    "mp4": FileSignature("MP4", _iso_media),
    "m4v": FileSignature("MP4", _iso_media),
    "mov": FileSignature("QuickTime", _quicktime),
    "wav": FileSignature("WAV", _riff(b"WAVE")),
    "ogg": FileSignature("Ogg", _starts(b"OggS")),
    "ogv": FileSignature("Ogg video", _starts(b"OggS")),
    "webm": FileSignature("WebM", _starts(b"\x1a\x45\xdf\xa3")),
    # documents
    "pdf": FileSignature("PDF", _starts(b"%PDF-")),
    "rtf": FileSignature("RTF", _starts(b"{\\rtf")),
    "doc": FileSignature("Word", _starts(OLE2)),
    "xls": FileSignature("Excel", _starts(OLE2)),
    "ppt": FileSignature("PowerPoint", _starts(OLE2)),
    "docx": FileSignature("Word", _starts(ZIP)),
    "xlsx": FileSignature("Excel", _starts(ZIP)),
    "pptx": FileSignature("PowerPoint", _starts(ZIP)),
    "odt": FileSignature("OpenDocument text", _starts(ZIP)),
    "ods": FileSignature("OpenDocument spreadsheet", _starts(ZIP)),
    "odp": FileSignature("OpenDocument presentation", _starts(ZIP)),
    # fonts and 3D models (H5P content)
    "woff": FileSignature("WOFF", _starts(b"wOFF")),
    "woff2": FileSignature("WOFF2", _starts(b"wOF2")),
    "ttf": FileSignature("TrueType", _starts(b"\x00\x01\x00\x00", b"true", b"typ1")),
    "otf": FileSignature("OpenType", _starts(b"OTTO", b"\x00\x01\x00\x00")),
    "eot": FileSignature("EOT", lambda head: head[34:36] == b"LP"),
    "glb": FileSignature("glTF binary", _starts(b"glTF")),
}
