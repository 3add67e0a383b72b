"""Which time zone to show a user, in pages and in emails."""

import zoneinfo
from functools import cache
from urllib.parse import unquote

from django.conf import settings

TIME_ZONE_COOKIE = "tz"


@cache
def zone_names():
    """Every IANA zone name this machine knows (tzdata)."""
    return frozenset(zoneinfo.available_timezones())


# tzdata ships files that are not zones a person lives in, and that browsers' Intl API
# refuses ("Invalid time zone specified: localtime").
_NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})
_NOT_PLACES_PREFIXES = ("posix/", "right/", "SystemV/")


@cache
def selectable_zone_names():
    """The zones people pick from (profile, Wagtail account page): tzdata's names without
    its internal files, sorted. Every one is accepted by browsers."""
    return tuple(
        sorted(
            name
            for name in zone_names()
            if name not in _NOT_PLACES and not name.startswith(_NOT_PLACES_PREFIXES)
        )
    )


def parse_zone(name):
    """Return a ZoneInfo for a valid IANA name, else None.

    The name is looked up in the list of known zones before any file is opened: values
    come from a cookie, a form or a profile, and a folder of the zone database
    ("America"), an over-long name or a path would otherwise raise OSError (a 500 page for
    every request carrying that cookie)."""
    if not name or not isinstance(name, str) or name not in zone_names():
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
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


def zone_for_editor(user, request=None):
    """The zone the admin shows an editor or organizer: the one they chose in their Wagtail
    account, else as ``zone_for_user`` (profile, browser, site default). Wagtail itself
    falls back to the site default (UTC), which would silently shift every time they
    read."""
    wagtail_profile = getattr(user, "wagtail_userprofile", None)
    return parse_zone(getattr(wagtail_profile, "current_time_zone", "")) or zone_for_user(
        user, request=request
    )
