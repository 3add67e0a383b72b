"""Serving a stored file to someone the view has already allowed: resumable, revalidated,
and without holding the app server on object storage.

- On a file system the file is streamed (``FileResponse``: the WSGI server's sendfile, or
  64 KiB reads), never read into memory. It carries ``ETag``, ``Last-Modified`` and
  ``Accept-Ranges: bytes``; ``If-None-Match``/``If-Modified-Since`` answer 304, one byte
  range answers 206 with ``Content-Range`` (416 when it starts past the end), and
  ``If-Range`` with a stale validator gets the whole new file (200). Several ranges in one
  request get the whole file too, which HTTP allows.
- On S3-compatible storage the answer is a redirect to a signed URL of the object, valid
  for ``LEARNING_MATERIAL_URL_SECONDS``, with the file name and type the view chose: the
  browser then downloads from the store, which handles ranges itself.

``response.starts_download`` tells the view whether the answer starts a download (the
whole file, or a range from byte 0; on S3 a redirect for such a request) rather than
continuing one or revalidating, so each download is counted once.
"""

import hashlib
import re

from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe
from django.utils.translation import gettext as _

from learning.conf import learning_settings

CHUNK_SIZE = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _asks_from_start(request):
    """True for a GET that would start a download: no range, or one from the first byte."""
    if request.method != "GET":
        return False
    header = request.headers.get("Range", "")
    match = _RANGE.match(header.replace(" ", ""))
    return not match or match.group(1) == "0"


def _signed_url(field_file, filename, content_type, inline):
    """A short-lived signed URL of the object, when the storage can sign one (S3)."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return None
    if not isinstance(field_file.storage, S3Storage):
        return None
    return field_file.storage.url(
        field_file.name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(not inline, filename),
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        },
        expire=learning_settings.LEARNING_MATERIAL_URL_SECONDS,
    )


def _validators(field_file):
    """(ETag, Last-Modified timestamp) of the stored file, from its name, size and time."""
    storage, name = field_file.storage, field_file.name
    try:
        size = storage.size(name)
        modified = int(storage.get_modified_time(name).timestamp())
    except (FileNotFoundError, OSError):
        raise Http404(_("This file is missing from storage.")) from None
    digest = hashlib.sha256(f"{name}\0{size}\0{modified}".encode()).hexdigest()[:32]
    return f'"{digest}"', modified, size


def _byte_range(request, etag, modified, size):
    """``(start, end)`` inclusive of the one range to send, ``None`` for the whole file,
    or ``"unsatisfiable"``."""
    match = _RANGE.match(request.headers.get("Range", "").replace(" ", ""))
    if not match or not (match.group(1) or match.group(2)):
        return None
    if_range = request.headers.get("If-Range")
    if if_range:
        if if_range.startswith(('"', "W/")):
            if if_range != etag:  # a weak or different tag: the file may have changed
                return None
        elif parse_http_date_safe(if_range) != modified:
            return None
    first, last = match.group(1), match.group(2)
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
        if last and int(last) < start:
            return None  # not a valid range: ignored
    else:  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    if start >= size or size == 0:
        return "unsatisfiable"
    return start, end


def _read(handle, start, length):
    with handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK_SIZE, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk


def serve_file(request, field_file, filename, content_type, *, inline, headers):
    """The response for ``field_file``: a signed redirect on S3, else the file (or one
    range of it, or 304/416). ``headers`` are added to every answer but a redirect's
    target, which the store serves."""
    signed = _signed_url(field_file, filename, content_type, inline)
    if signed:
        response = HttpResponseRedirect(signed)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        response.starts_download = _asks_from_start(request)
        return response

    etag, modified, size = _validators(field_file)
    conditional = get_conditional_response(request, etag=etag, last_modified=modified)
    if conditional is not None:  # 304 (or 412)
        conditional.starts_download = False
        conditional["ETag"] = etag
        for name, value in headers.items():
            conditional[name] = value
        return conditional

    byte_range = _byte_range(request, etag, modified, size)
    starts_download = request.method == "GET"
    if byte_range == "unsatisfiable":
        starts_download = False
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        try:
            handle = field_file.storage.open(field_file.name, "rb")
        except FileNotFoundError:
            raise Http404(_("This file is missing from storage.")) from None
        disposition = content_disposition_header(not inline, filename)
        if byte_range is None:
            response = FileResponse(handle, content_type=content_type)
            response.block_size = CHUNK_SIZE
        else:
            start, end = byte_range
            starts_download = starts_download and start == 0
            response = StreamingHttpResponse(
                _read(handle, start, end - start + 1), status=206, content_type=content_type
            )
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(end - start + 1)
        if disposition:
            response["Content-Disposition"] = disposition
    response.starts_download = starts_download
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    for name, value in headers.items():
        response[name] = value
    return response
