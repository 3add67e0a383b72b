"""Webinar platforms' attendance reports: ``reading`` holds what every report has in
common, ``platforms`` the registry of one parser per platform."""

from .platforms import get_parser, platform_choices, register
from .reading import (
    Attendee,
    ReportError,
    ReportParser,
    decode,
    parse_duration,
    parse_time,
)

__all__ = [
    "Attendee",
    "ReportError",
    "ReportParser",
    "decode",
    "get_parser",
    "parse_duration",
    "parse_report",
    "parse_time",
    "platform_choices",
    "register",
]


def parse_report(file, platform):
    """Read ``platform``'s report (file object or bytes): one ``Attendee`` per person."""
    return get_parser(platform).parse(file)
