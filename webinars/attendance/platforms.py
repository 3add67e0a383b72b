"""The attendance-report parsers, one per platform, registered under their key.

This is the one place a platform's report format is described. To read another
platform's reports, add a ``ReportParser`` subclass here with ``@register`` (and a test
with a real export): the attendance import form offers it, and imports use it.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .reading import ReportError, ReportParser

_parsers = {}


def register(parser_class):
    """Class decorator: make ``parser_class`` the parser of its ``key``."""
    _parsers[parser_class.key] = parser_class()
    return parser_class


def get_parser(key):
    """The parser registered as ``key``; ``ReportError`` for an unknown platform."""
    try:
        return _parsers[key]
    except KeyError:
        raise ReportError(_("Unknown platform “%(platform)s”.") % {"platform": key}) from None


def platform_choices():
    """``(key, label)`` of every registered platform, "Other" last (for forms)."""
    parsers = sorted(_parsers.values(), key=lambda parser: parser.key == AnyPlatform.key)
    return [(parser.key, parser.label) for parser in parsers]


@register
class Zoom(ReportParser):
    key = "zoom"
    label = gettext_lazy("Zoom")
    columns = {
        "name": ["Name (original name)", "Name (Original Name)", "Name", "Participant"],
        "email": ["User Email", "Email", "Attendee Email"],
        "join": ["Join Time", "Join time"],
        "leave": ["Leave Time", "Leave time"],
        "duration": ["Duration (minutes)", "Duration (Minutes)", "Time in Session (minutes)"],
    }


@register
class BigBlueButton(ReportParser):
    key = "bigbluebutton"
    label = gettext_lazy("BigBlueButton")
    columns = {
        "name": ["Name", "Full Name", "User Name"],
        "email": ["Email", "E-mail", "External User ID", "User ID"],
        "join": ["Join", "Joined", "Join Time"],
        "leave": ["Left", "Leave", "Leave Time"],
        "duration": ["Duration", "Online Time", "Time Online"],
    }


@register
class Teams(ReportParser):
    key = "teams"
    label = gettext_lazy("Microsoft Teams")
    columns = {
        "name": ["Name", "Full Name"],
        "email": ["Email", "Participant ID (UPN)", "UPN"],
        "join": ["First Join", "First join", "Join Time", "Join time"],
        "leave": ["Last Leave", "Last leave", "Leave Time", "Leave time"],
        "duration": ["In-Meeting Duration", "In-meeting duration", "Duration"],
    }


@register
class AnyPlatform(ReportParser):
    """Any other platform: the headers of every registered platform are tried."""

    key = "other"
    label = gettext_lazy("Other")

    @property
    def columns(self):
        merged = {}
        for parser in _parsers.values():
            if parser is self:
                continue
            for field, names in parser.columns.items():
                merged.setdefault(field, []).extend(names)
        return {field: list(dict.fromkeys(names)) for field, names in merged.items()}
