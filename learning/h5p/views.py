"""H5P play and track: the player on the content origin, and the statement endpoint on
the site.

Content-origin views (``/h5p/...``) are authorised by the signed token in their path and
never by a session (``learning.h5p.middleware`` strips cookies there); the statement
endpoint is a site view using the learner's session and CSRF token.
"""

import posixpath
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from learning.conf import learning_settings
from learning.h5p import access, assets, player, services, tokens
from learning.h5p.xapi import StatementError, load_body
from learning.models import H5PContentVersion, H5PLibrary
from learning.storage import private_storage

# Exact types; anything else is served as opaque bytes (nosniff keeps it that way).
MIME_TYPES = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "webm": "video/webm",
    "mp4": "video/mp4",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "vtt": "text/vtt; charset=utf-8",
    "webvtt": "text/vtt; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "pdf": "application/pdf",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "eot": "application/vnd.ms-fontobject",
    "xml": "application/xml",
    "gltf": "model/gltf+json",
    "glb": "model/gltf-binary",
}


def _content_type(path):
    extension = posixpath.splitext(path)[1].lower().lstrip(".")
    return MIME_TYPES.get(extension) or "application/octet-stream"


def _safe_relative(path):
    """``path`` if it stays inside its folder, else 404 (no traversal, no hidden files)."""
    if not path or "\\" in path or path.startswith("/"):
        raise Http404
    parts = path.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        raise Http404
    return path


def _file_headers(response, path, *, cache_control="private, max-age=3600"):
    response["Content-Type"] = _content_type(path)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # Opened on their own (e.g. an SVG), package files never run script.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


def _serve_storage(name, path):
    try:
        handle = private_storage().open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return _file_headers(FileResponse(handle), path)


def _grant(request, token):
    try:
        grant = tokens.read_token(token)
    except tokens.InvalidToken:
        raise PermissionDenied from None
    _check_activity_host(request, grant)
    return grant


def _check_activity_host(request, grant):
    """A token is good only on its own version's origin (``v<id>.<content host>``): one
    package's frame cannot load another's player, files or saved state into its origin."""
    if player.per_activity_origins() and (
        player.content_host_version(request.get_host()) != grant.version_id
    ):
        raise Http404


def _version(grant, version_id=None):
    if version_id is not None and version_id != grant.version_id:
        raise Http404
    return get_object_or_404(
        H5PContentVersion.objects.select_related("content"), pk=grant.version_id
    )


@require_GET
@xframe_options_exempt
def player_page(request, token):
    """The player page the site frames: h5p-standalone configured for one learner."""
    try:
        grant = tokens.read_token(token)
    except tokens.InvalidToken:
        response = render(request, "learning/h5p/player_expired.html", status=403)
        response["Content-Security-Policy"] = player.player_csp()
        return response
    _check_activity_host(request, grant)
    version = _version(grant)
    user = get_user_model().objects.filter(pk=grant.user_id, is_active=True).first()
    page = Page.objects.filter(pk=grant.page_id).first()
    if user is None or page is None:
        raise PermissionDenied
    if grant.preview:
        allowed = access.may_preview(user, page)
    else:
        allowed = access.may_take(user, version.content, page)
    if not allowed:
        raise PermissionDenied
    response = render(
        request,
        "learning/h5p/player.html",
        {
            "version": version,
            "config": {
                "siteOrigin": player.site_origin(),
                "options": player.player_options(
                    token=token,
                    version=version,
                    page=page,
                    user=user,
                    saved_state=None
                    if grant.preview
                    else services.load_user_data(
                        user_id=user.pk,
                        content=version.content,
                        page_id=page.pk,
                        version=version,
                        data_type="state",
                        sub_content_id="0",
                    ),
                ),
            },
            "player_script": player.player_asset_url("player.js"),
            "storage_script": player.player_asset_url("storage-fallback.js"),
            "main_script": player.player_asset_url("main.bundle.js"),
            "player_css": player.player_asset_url("styles/h5p.css"),
        },
    )
    response["Content-Security-Policy"] = player.player_csp()
    response["X-Content-Type-Options"] = "nosniff"
    # A <link rel="dns-prefetch"> would still reach a third party's name server.
    response["X-DNS-Prefetch-Control"] = "off"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def package_file(request, token, version_id, path):
    """``h5p.json`` and ``content/...`` of the token's content version."""
    grant = _grant(request, token)
    path = _safe_relative(path)
    if path != "h5p.json" and not path.startswith("content/"):
        raise Http404
    version = _version(grant, version_id)
    return _serve_storage(version.storage_prefix + path, path)


def _shared_file(request, handle, path, stamp, current_stamp):
    """Headers of a file every activity shares: public, immutable while its stamp is
    current, readable from every activity origin (fonts and h5p-standalone's fetch() of
    ``library.json`` need CORS; the files hold nothing of any learner)."""
    if player.per_activity_origins() and player.content_host_version(request.get_host()) != 0:
        # One origin for all activities: one cached copy, in the browser and in a CDN.
        handle.close()
        raise Http404
    response = _file_headers(
        FileResponse(handle),
        path,
        cache_control=assets.IMMUTABLE if stamp == current_stamp else assets.STALE,
    )
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def library_file(request, stamp, folder, path):
    """A file of an installed library, the same for every learner: no token (the player
    page and the content's own files keep theirs), an immutable URL."""
    path = _safe_relative(path)
    machine_name, _dash, version = folder.rpartition("-")
    major, _dot, minor = version.partition(".")
    if not (machine_name and major.isdigit() and minor.isdigit()):
        raise Http404
    library = (
        H5PLibrary.objects.filter(
            machine_name=machine_name,
            major_version=int(major),
            minor_version=int(minor),
        )
        .only("storage_path")
        .first()
    )
    if library is None:
        raise Http404
    try:
        handle = private_storage().open(library.storage_path + path, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return _shared_file(request, handle, path, stamp, assets.libraries_stamp())


@require_GET
def player_asset(request, stamp, path):
    """h5p-standalone's files and the player bootstrap, served by the content origin so
    the player frame loads nothing from the site."""
    path = _safe_relative(path)
    handle = assets.open_player_asset(path)
    if handle is None:
        raise Http404
    return _shared_file(request, handle, path, stamp, assets.player_assets_stamp())


@csrf_exempt  # no session on the content origin: the path token is the credential
@never_cache
def user_data(request, token, content_id, data_type, sub_content_id):
    """H5P's ``contentUserDataUrl``: GET answers ``{"success": true, "data": "<json>"}``,
    POST stores (``data=0`` deletes)."""
    grant = _grant(request, token)
    if content_id != str(grant.version_id) or len(data_type) > 64 or len(sub_content_id) > 100:
        raise Http404
    version = _version(grant)
    if grant.preview:
        # An editor's preview keeps nothing: it starts afresh every time.
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        return JsonResponse({"success": True})
    if _over_rate_limit(
        f"h5p-state-rate:{grant.user_id}:{grant.page_id}:{version.content_id}",
        learning_settings.LEARNING_H5P_STATE_RATE_LIMIT,
    ):
        response = JsonResponse(
            {"success": False, "message": _("Too many saves; try again in a minute.")},
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    key = {
        "user_id": grant.user_id,
        "content": version.content,
        "page_id": grant.page_id,
        "version": version,
        "data_type": data_type,
        "sub_content_id": sub_content_id,
    }
    if request.method == "GET":
        data = services.load_user_data(**key)
        return JsonResponse({"success": True, "data": data} if data else {"success": True})
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    data = request.POST.get("data")
    if data is None:
        return JsonResponse({"success": False, "message": _("No data sent.")}, status=400)
    try:
        services.save_user_data(**key, data=None if data == "0" else data)
    except services.UserDataError as error:
        return JsonResponse({"success": False, "message": str(error)}, status=error.status)
    return JsonResponse({"success": True})


def _json_error(message, status):
    return JsonResponse({"error": str(message)}, status=status)


def _over_rate_limit(name, limit, count=1):
    """Whether ``count`` more uses of ``name`` this minute go over ``limit`` (0 = none)."""
    if not limit:
        return False
    key = f"learning:{name}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key, count)
    except ValueError:  # expired between add and incr
        cache.set(key, count, timeout=120)
        used = count
    return used > limit


@require_POST
@never_cache
def statements(request):
    """``POST /learning/xapi/statements/``: one statement or a list, with the learner's
    session and CSRF token. The actor is always the signed-in learner."""
    if not request.user.is_authenticated:
        return _json_error(_("Sign in to record your activity."), 401)
    limit = learning_settings.LEARNING_XAPI_MAX_BODY_SIZE
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _json_error(_("Too much data in one request."), 413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return _json_error(_("Too much data in one request."), 413)
    try:
        payload = load_body(body)
    except StatementError as error:
        return _json_error(error, 400)
    count = len(payload) if isinstance(payload, list) else 1
    if _over_rate_limit(
        f"xapi-rate:{request.user.pk}", learning_settings.LEARNING_XAPI_RATE_LIMIT, count
    ):
        response = _json_error(_("Too many statements; try again in a minute."), 429)
        response["Retry-After"] = "60"
        return response
    try:
        result = services.record_statements(request.user, payload)
    except StatementError as error:
        return _json_error(error, 400)
    except PermissionDenied:
        return _json_error(_("You may not take this activity."), 403)
    except services.StatementConflict as error:
        return _json_error(error, 409)
    return JsonResponse(
        {
            "stored": result.stored,
            "duplicates": result.duplicates,
            "progress": [
                {
                    "page": progress.page_id,
                    "content": progress.content_id,
                    "completed": progress.completed,
                    "success": progress.success,
                    "best_score": progress.best_score,
                    "status": services.status_text(progress, pass_mark),
                }
                for progress, pass_mark in result.progress
            ],
        }
    )


@require_GET
def activity(request, page_id, content_id):
    """An activity IRI resolves to the page holding it."""
    page = get_object_or_404(Page.objects.live().public(), pk=page_id)
    if access.placement(page, content_id) is None:
        raise Http404
    return redirect(page.url)
