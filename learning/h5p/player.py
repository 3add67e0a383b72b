"""Placing the H5P player: what the activity block shows, and how the player page on the
content origin is configured.

The site (``WAGTAILADMIN_BASE_URL``) and the content origin (``LEARNING_H5P_ORIGIN``) are
different hosts, so scripts of a package never run with the site's origin and never see
its cookies. The site frames the player page in a sandboxed iframe; the player page relays
xAPI statements to the site page with ``postMessage``.
"""

import base64
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from learning.conf import learning_settings
from learning.h5p import access, tokens
from learning.h5p.xapi import activity_iri, origin_of

# h5p-standalone 3.8.2 (frame.bundle.js, H5P.getHeadTags) writes this inline script into
# the player's inner frame; the player page's CSP allows exactly this script by its hash.
H5P_INLINE_BOOTSTRAP = (
    "H5PIntegration = window.parent.H5PIntegration; var H5P = H5P || {}; H5P.externalEmbed = false;"
)
H5P_INLINE_BOOTSTRAP_HASH = (
    "sha256-" + base64.b64encode(hashlib.sha256(H5P_INLINE_BOOTSTRAP.encode()).digest()).decode()
)
SANDBOX = "allow-scripts allow-same-origin allow-forms allow-popups"


def content_origin():
    return origin_of(settings.LEARNING_H5P_ORIGIN)


def site_origin():
    return origin_of(settings.WAGTAILADMIN_BASE_URL)


def content_hostname():
    return (urlsplit(settings.LEARNING_H5P_ORIGIN).hostname or "").lower()


# Each content version plays on its own origin, a subdomain of the content host
# ("v42.h5p.example.net"): two packages on one page cannot script each other's frame, and
# a package's frame can only ever hold its own token.
ACTIVITY_LABEL = re.compile(r"^v([1-9][0-9]{0,17})$")


def per_activity_origins():
    return bool(learning_settings.LEARNING_H5P_ORIGIN_PER_ACTIVITY)


def activity_origin(version_id):
    """The origin the player of content version ``version_id`` is served from."""
    if not per_activity_origins():
        return content_origin()
    parts = urlsplit(settings.LEARNING_H5P_ORIGIN)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://v{int(version_id)}.{content_hostname()}{port}"


def content_host_version(host):
    """For a request ``host`` (``request.get_host()``): ``None`` if it is not the content
    host, ``0`` for the content host itself, else the version id its label names."""
    hostname = host.rsplit(":", 1)[0].lower() if not host.endswith("]") else host.lower()
    base = content_hostname()
    if not base:
        return None
    if hostname == base:
        return 0
    label, _dot, rest = hostname.partition(".")
    match = ACTIVITY_LABEL.match(label)
    if rest == base and match:
        return int(match.group(1))
    return None


def content_url(path, version_id):
    return activity_origin(version_id) + path


@dataclass
class ActivityView:
    """What the "H5P activity" block renders for one viewer."""

    state: str  # "ready", "preview", "login", "denied" or "unavailable"
    content: object = None
    page: object = None
    pass_mark: int | None = None
    player_url: str = ""
    progress: object = None
    status: str = ""
    # The learner asked for the player (``?activity=<content id>``, the link that opens it
    # without JavaScript); otherwise it loads only when they open it.
    opened: bool = False

    @property
    def origin(self):
        return activity_origin(self.content.current_version_id)

    @property
    def iri(self):
        return activity_iri(self.page.pk, self.content.pk)

    @property
    def sandbox(self):
        return SANDBOX


def activity_for(*, request, page, content, pass_mark):
    """The block's view of ``content`` on ``page`` for the requesting user."""
    from learning.h5p.services import status_text
    from learning.models import ActivityProgress

    view = ActivityView(state="unavailable", content=content, page=page, pass_mark=pass_mark)
    if content is None or page is None or getattr(page, "pk", None) is None:
        return view
    version_id = content.current_version_id
    if version_id is None:
        return view
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        view.state = "login"
        return view
    previewing = getattr(request, "is_preview", False) or getattr(
        request, "learning_editor_view", False
    )
    if previewing or not access.may_take(user, content, page):
        if not access.may_preview(user, page):
            view.state = "denied"
            return view
        # An editor trying the activity (Wagtail's preview, or a page they may edit but
        # not take): played, never tracked.
        view.state = "preview"
        token = tokens.issue_token(
            user_id=user.pk, version_id=version_id, page_id=page.pk, preview=True
        )
        view.player_url = content_url(reverse("learning:h5p_player", args=[token]), version_id)
        return view
    view.state = "ready"
    view.opened = getattr(request, "GET", {}).get("activity") == str(content.pk)
    token = tokens.issue_token(user_id=user.pk, version_id=version_id, page_id=page.pk)
    view.player_url = content_url(reverse("learning:h5p_player", args=[token]), version_id)
    view.progress = ActivityProgress.objects.filter(
        user=user, content=content, page_id=page.pk
    ).first()
    view.status = status_text(view.progress, pass_mark)
    return view


def player_options(*, token, version, page, user, saved_state=None):
    """The h5p-standalone options of the player page (all URLs on the content origin).

    ``saved_state`` (a JSON string) is handed to H5P up front: H5P core builds the content
    right after asking for its state, so state fetched later would not be applied."""
    version_base = content_url(
        reverse("learning:h5p_version_root", args=[token, version.pk]), version.pk
    )
    options = {
        "id": str(version.pk),
        "title": version.content.title,
        "h5pJsonPath": version_base.rstrip("/"),
        "contentJsonPath": version_base + "content",
        # Shared by every activity and learner: one origin, immutable URLs (see
        # ``libraries_url``); only the content's own files and state carry the token.
        "librariesPath": libraries_url(),
        "frameJs": player_asset_url("frame.bundle.js"),
        "frameCss": player_asset_url("styles/h5p.css"),
        "xAPIObjectIRI": activity_iri(page.pk, version.content_id),
        # Runs inside H5P's own frame before the content starts.
        "customJs": [player_asset_url("storage-fallback.js")],
        "frame": False,
        "copyright": False,
        "export": False,
        "embed": False,
        "icon": False,
        "fullScreen": False,
        "saveFreq": learning_settings.LEARNING_H5P_SAVE_FREQUENCY,
        # H5P needs a user for resume state; the actor it builds is ignored by the site.
        "user": {
            "name": user.get_full_name() or user.get_username(),
            "mail": f"{user.pk}@learner.invalid",
        },
        "ajax": {
            "contentUserDataUrl": content_url(
                reverse(
                    "learning:h5p_user_data", args=[token, "XcontentIdX", "XdataTypeX", "XsubIdX"]
                ),
                version.pk,
            )
            .replace("XcontentIdX", ":contentId")
            .replace("XdataTypeX", ":dataType")
            .replace("XsubIdX", ":subContentId"),
        },
    }
    if saved_state:
        options["contentUserData"] = [{"state": saved_state}]
    return options


def shared_origin():
    """The origin of the files every activity shares (installed libraries, the player's
    scripts and styles): the bare content host, so one cached copy serves every activity
    origin (``v<id>.``), every learner and a CDN in front of it."""
    return content_origin()


def libraries_url():
    """h5p-standalone's ``librariesPath``: ``<shared origin>/h5p/libraries/<stamp>``."""
    from learning.h5p.assets import libraries_stamp

    return shared_origin() + reverse("learning:h5p_libraries_root", args=[libraries_stamp()])[:-1]


def player_asset_url(path):
    """An h5p-standalone file or one of our player scripts, at an immutable URL."""
    from learning.h5p.assets import player_assets_stamp

    return shared_origin() + reverse(
        "learning:h5p_player_asset", args=[player_assets_stamp(), path]
    )


def player_csp():
    """Content-Security-Policy of the player page (its inner frame inherits it).

    Every fetch directive names only the content origin ('self'; data: and blob: URLs
    stay in the page) and the shared origin of the libraries and player assets (the bare
    content host, which holds nothing of any learner), and form-action and base-uri too:
    package code cannot send the learner's data to a third party by fetch, beacon, image,
    font, media, form or frame. Statements leave by postMessage to the site page, which
    relays them."""
    shared = shared_origin()
    return "; ".join(
        [
            "default-src 'self'",
            # 'unsafe-eval': libraries in wide use compile templates from strings (H5P.
            # MultiChoice 1.14 through EmbeddedJS 1.0); the scripts themselves still come
            # only from the content origin and installed libraries.
            f"script-src 'self' {shared} '{H5P_INLINE_BOOTSTRAP_HASH}' 'unsafe-eval'",
            f"style-src 'self' {shared} 'unsafe-inline'",
            f"img-src 'self' {shared} data: blob:",
            f"media-src 'self' {shared} data: blob:",
            f"font-src 'self' {shared} data:",
            # h5p-standalone reads each library's library.json with fetch().
            f"connect-src 'self' {shared}",
            "frame-src 'self'",
            "child-src 'self'",
            "worker-src 'self'",
            "manifest-src 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {site_origin()}",
        ]
    )
