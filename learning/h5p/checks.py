"""System checks: H5P content must never run with the site's origin or see its cookies."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.http.request import validate_host


@register("security")
def check_content_origin(app_configs, **kwargs):
    errors = []
    origin = getattr(settings, "LEARNING_H5P_ORIGIN", "")
    parts = urlsplit(origin or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Error(
                "LEARNING_H5P_ORIGIN must be an http(s) origin such as "
                "https://h5p.example-content.net.",
                id="learning.E101",
            )
        ]
    content_host = parts.hostname.lower()
    site_host = (urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "").lower()
    if content_host == site_host:
        errors.append(
            Error(
                f"LEARNING_H5P_ORIGIN uses the site's own host ({content_host}): H5P scripts "
                "would run with the site's origin and could read its cookies.",
                hint="Serve H5P content from another host, in production another "
                "registrable domain.",
                id="learning.E102",
            )
        )
    for name in ("SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN", "LANGUAGE_COOKIE_DOMAIN"):
        domain = (getattr(settings, name, None) or "").lower().lstrip(".")
        if domain and (content_host == domain or content_host.endswith("." + domain)):
            errors.append(
                Warning(
                    f"{name} ({domain}) covers the H5P content host {content_host}: browsers "
                    "would send those cookies to H5P content.",
                    hint="Put the content origin on another registrable domain.",
                    id="learning.W103",
                )
            )
    allowed = settings.ALLOWED_HOSTS or (
        ["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else []
    )
    from learning.h5p.player import per_activity_origins

    if per_activity_origins() and not validate_host(f"v1.{content_host}", allowed):
        errors.append(
            Warning(
                f"The H5P activity hosts (v<id>.{content_host}) are not in ALLOWED_HOSTS: "
                "players will not load.",
                hint=f"Allow .{content_host} (with the leading dot: the host and its "
                "subdomains), or set LEARNING_H5P_ORIGIN_PER_ACTIVITY = False.",
                id="learning.W105",
            )
        )
    elif not validate_host(content_host, allowed):
        errors.append(
            Warning(
                f"The H5P content host {content_host} is not in ALLOWED_HOSTS: players will "
                "not load.",
                hint="The same app servers answer the site and the content origin; allow both.",
                id="learning.W104",
            )
        )
    return errors
