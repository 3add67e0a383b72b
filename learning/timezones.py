"""Which time zone to show a user, in pages and in emails."""

import zoneinfo
from datetime import UTC, datetime
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone_location
from django.conf import settings
from django.utils import translation
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


# -- zone names in the reader's language (CLDR, through Babel) ------------------------------


@lru_cache(maxsize=16)
def babel_locale(language):
    """The Babel locale of a Django language code ("zh-hans" → zh_Hans), or None for
    English (whose readers keep the IANA names) and for a language CLDR does not know."""
    if not language or language.split("-")[0].lower() == "en":
        return None
    try:
        return Locale.parse(translation.to_locale(language))
    except (UnknownLocaleError, ValueError):
        return None


def _is_place(name):
    """Is ``name`` a place CLDR names (a city), not a fixed offset (``Etc/GMT+5``, whose
    POSIX sign is inverted), ``UTC``, an abbreviation (``EST``, which CLDR would call
    "Panama") or a rule name (``CST6CDT``)?"""
    canonical = get_global("zone_aliases").get(name, name)
    return all("/" in key and not key.startswith("Etc/") for key in (name, canonical))


@lru_cache(maxsize=8192)
def localized_place(name, language):
    """The zone's place in ``language``: CLDR's exemplar city ("Asia/Kolkata" is
    "Calcutta" in French, "加尔各答" in Chinese, "كالكتا" in Arabic), or None for English,
    for a language CLDR does not know and for a zone that is not a place; the caller then
    names the zone by its IANA key. Cached per (zone, language): the picker asks for
    about 600 zones, and pages name a zone for every time they show."""
    locale = babel_locale(language)
    if locale is None or not _is_place(name):
        return None
    try:
        city = get_timezone_location(name, locale=locale, return_city=True)
    except (LookupError, ValueError):
        return None
    return city or None


def zone_label(name, now=None, language=None):
    """What the picker shows for ``name``: the place first (typing its first letters finds
    it in a plain <select>), then today's offset from UTC: "Kolkata (UTC+05:30)"; the
    place in the reader's language ("Calcutta (UTC+05:30)" in French), in English the
    IANA key's."""
    now = now or datetime.now(UTC)
    offset = now.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    place = localized_place(name, language or translation.get_language())
    if place is None:
        place = name.split("/", 1)[1] if "/" in name else name
        place = place.replace("_", " ").replace("/", " / ")
    return f"{place} ({utc_offset_label(int(offset.total_seconds() // 60))})"


def _without_twins(groups):
    """Two options may get one localized place: a legacy alias and its zone
    (``America/Buenos_Aires`` and ``America/Argentina/Buenos_Aires`` are both "Buenos
    Aires" in Spanish; ``Asia/Istanbul`` and ``Europe/Istanbul``). The zone keeps the
    plain label; its tzdata links also show their IANA key, so that no two options read
    the same."""
    counts = {}
    for zones in groups.values():
        for _name, label in zones:
            counts[label] = counts.get(label, 0) + 1
    for zones in groups.values():
        for index, (name, label) in enumerate(zones):
            if counts[label] > 1 and name in zone_links():
                place, _space, offset = label.rpartition(" (")
                zones[index] = (name, f"{place} ({name}, {offset}")


@lru_cache(maxsize=2 * 8)
def _grouped_zones(hour, language):
    """``[(region key, [(name, label), ...]), ...]`` for the UTC hour ``hour`` (offsets
    change with daylight saving time, so the cache is per hour) in ``language``."""
    now = datetime.fromisoformat(hour)
    groups = {}
    for name in selectable_zone_names():
        region = name.split("/", 1)[0] if "/" in name else ""
        key = region if region in ZONE_REGIONS else ""
        if not key and not _offered_under_other(name):
            continue
        groups.setdefault(key, []).append((name, zone_label(name, now, language)))
    _without_twins(groups)
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
    for key, zones in _grouped_zones(hour, translation.get_language()):
        choices.append((ZONE_REGIONS.get(key, gettext_lazy("Other")), zones))
    return choices
