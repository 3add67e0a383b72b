"""Which time zone to show a user, in pages and in emails."""

import zoneinfo
from datetime import UTC, datetime
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.utils.translation import gettext_lazy

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


def _tzdata_source():
    """The text form of the zone database ``zoneinfo`` reads (its ``tzdata.zi``): the
    system's first, as ``zoneinfo`` prefers it, else the ``tzdata`` package's."""
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / "tzdata.zi"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata").joinpath("zoneinfo/tzdata.zi").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@cache
def zone_links():
    """``{alias: canonical zone}``: tzdata's links (``L`` lines), e.g. ``US/Pacific`` →
    ``America/Los_Angeles``. Empty when the text form is not installed."""
    links = {}
    for line in _tzdata_source().splitlines():
        if line.startswith("L "):
            _l, target, alias = line.split()[:3]
            links[alias] = target
    return links


def _offered_under_other(name):
    """Does the picker's "Other" group list ``name``? Not the legacy aliases that only
    link to a zone listed under its region (``US/Pacific``, ``Canada/Eastern``, ``GB``),
    nor the fixed ``Etc/`` offsets, whose POSIX signs are inverted (``Etc/GMT+3`` is
    UTC−03:00): every offset people live at is a place in a region group. ``UTC`` stays,
    for the ``Etc/`` zones."""
    if name == "UTC":
        return True
    return name not in zone_links() and not name.startswith("Etc/")


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


# -- the time-zone picker -------------------------------------------------------------------

# The first part of an IANA name, as the picker groups it (<optgroup>), in the reader's
# language; names without a region ("UTC") go last, under "Other".
ZONE_REGIONS = {
    "Africa": gettext_lazy("Africa"),
    "America": gettext_lazy("Americas"),
    "Antarctica": gettext_lazy("Antarctica"),
    "Arctic": gettext_lazy("Arctic"),
    "Asia": gettext_lazy("Asia"),
    "Atlantic": gettext_lazy("Atlantic Ocean"),
    "Australia": gettext_lazy("Australia"),
    "Europe": gettext_lazy("Europe"),
    "Indian": gettext_lazy("Indian Ocean"),
    "Pacific": gettext_lazy("Pacific Ocean"),
}


def utc_offset_label(minutes):
    """``UTC+05:30``, ``UTC−03:00`` (a real minus sign) or ``UTC``."""
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_label(name, now=None):
    """What the picker shows for ``name``: the place first (typing its first letters finds
    it in a plain <select>), then today's offset from UTC: "Kolkata (UTC+05:30)"."""
    now = now or datetime.now(UTC)
    offset = now.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    place = name.split("/", 1)[1] if "/" in name else name
    place = place.replace("_", " ").replace("/", " / ")
    return f"{place} ({utc_offset_label(int(offset.total_seconds() // 60))})"


@lru_cache(maxsize=2)
def _grouped_zones(hour):
    """``[(region key, [(name, label), ...]), ...]`` for the UTC hour ``hour`` (offsets
    change with daylight saving time, so the cache is per hour)."""
    now = datetime.fromisoformat(hour)
    groups = {}
    for name in selectable_zone_names():
        region = name.split("/", 1)[0] if "/" in name else ""
        key = region if region in ZONE_REGIONS else ""
        if not key and not _offered_under_other(name):
            continue
        groups.setdefault(key, []).append((name, zone_label(name, now)))
    ordered = [key for key in ZONE_REGIONS if key in groups] + ([""] if "" in groups else [])
    return [(key, sorted(groups[key], key=lambda item: item[1])) for key in ordered]


def grouped_time_zone_choices(first=None):
    """The picker's choices, grouped by region with today's UTC offsets; ``first`` (the
    person's zone, or the one detected from their browser) is offered again on top, so
    a saved legacy alias the groups leave out (``US/Pacific``) stays selected and valid."""
    hour = datetime.now(UTC).strftime("%Y-%m-%dT%H:00+00:00")
    choices = []
    if first and first in selectable_zone_names():
        choices.append((gettext_lazy("Your time zone"), [(first, zone_label(first))]))
    for key, zones in _grouped_zones(hour):
        choices.append((ZONE_REGIONS.get(key, gettext_lazy("Other")), zones))
    return choices
