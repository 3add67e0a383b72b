"""Keep the content origin and the site apart, even though one server answers both.

On the content host (``LEARNING_H5P_ORIGIN``) and its activity subdomains (``v<id>.``) only
``/h5p/`` is served, incoming cookies are dropped before any other middleware sees them and
no cookie is ever set; on the site's hosts ``/h5p/`` does not exist. Place it right after
``SecurityMiddleware``.

Text it serves (scripts, styles, JSON, SVG, the player page) is gzipped there, for
learners on slow links; the site's own pages are left alone (they carry CSRF tokens, and
compressing secrets next to reflected input invites BREACH).
"""

from django.http import Http404, HttpResponseNotFound
from django.middleware.gzip import GZipMiddleware

from learning.h5p.player import content_host_version

CONTENT_PREFIX = "/h5p/"
COMPRESSIBLE_TYPES = {
    "text/javascript",
    "text/css",
    "text/html",
    "text/plain",
    "text/vtt",
    "application/json",
    "application/xml",
    "image/svg+xml",
    "model/gltf+json",
}
# Only its response half is used; it handles streamed files (FileResponse) too, and adds
# ``Vary: Accept-Encoding``.
_gzip = GZipMiddleware(lambda request: None)


def compressible(response):
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return content_type in COMPRESSIBLE_TYPES


class ContentOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        on_content_host = content_host_version(request.get_host()) is not None
        content_path = request.path_info.startswith(CONTENT_PREFIX)
        if not on_content_host:
            if content_path:
                raise Http404
            return self.get_response(request)
        if not content_path:
            return HttpResponseNotFound(b"Not found", content_type="text/plain; charset=utf-8")
        request.META.pop("HTTP_COOKIE", None)
        request.COOKIES = {}
        response = self.get_response(request)
        response.cookies.clear()
        if compressible(response):
            response = _gzip.process_response(request, response)
        if response.has_header("Vary"):
            # Nothing here depends on cookies any more.
            vary = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "cookie"]
            if vary:
                response["Vary"] = ", ".join(vary)
            else:
                del response["Vary"]
        return response
