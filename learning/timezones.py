"""Which time zone to show a user, in pages and in emails."""

import zoneinfo
from urllib.parse import unquote

from django.conf import settings

TIME_ZONE_COOKIE = "tz"


def parse_zone(name):
    """Return a ZoneInfo for a valid IANA name, else None."""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def zone_for_user(user, fallback=None, request=None):
    """The user's zone: their profile, else their browser's (cookie), else ``fallback``,
    else the site default. ``fallback`` is typically the event's home zone."""
    if user is not None and getattr(user, "is_authenticated", False):
        profile = getattr(user, "profile", None)
        zone = parse_zone(getattr(profile, "time_zone", ""))
        if zone:
            return zone
    if request is not None:
        # site.js stores the name URL-encoded ("America%2FBogota").
        zone = parse_zone(unquote(request.COOKIES.get(TIME_ZONE_COOKIE, "")))
        if zone:
            return zone
    if fallback is not None:
        return fallback if isinstance(fallback, zoneinfo.ZoneInfo) else parse_zone(fallback)
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def language_for_user(user):
    profile = getattr(user, "profile", None) if user is not None else None
    return getattr(profile, "preferred_language", None) or settings.LANGUAGE_CODE
