"""The attendance-report parsers' registry (``webinars.attendance.platforms``): every
registered platform is offered by the import form, and a new platform is one parser."""

import pytest

from webinars.attendance import ReportError, ReportParser, parse_report, platforms, register
from webinars.forms import AttendanceImportForm

WEBEX_REPORT = b"""Participant Name,Attendee Email,Join Time,Leave Time,Attendance Duration
Amina Diallo,amina@example.org,2026-11-20 13:00:00,2026-11-20 14:10:00,70 mins
"""


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry, so platforms registered by a test vanish after it."""
    monkeypatch.setattr(platforms, "_parsers", dict(platforms._parsers))


def _platform_keys():
    return [key for key, _label in AttendanceImportForm().fields["platform"].choices]


def test_the_import_form_offers_every_registered_platform_other_last():
    assert _platform_keys() == ["zoom", "bigbluebutton", "teams", "other"]


def test_a_new_platform_is_one_registered_parser(registry):
    @register
    class Webex(ReportParser):
        key = "webex"
        label = "Webex"
        columns = {
            "name": ["Participant Name"],
            "email": ["Attendee Email"],
            "join": ["Join Time"],
            "leave": ["Leave Time"],
            "duration": ["Attendance Duration"],
        }

    assert _platform_keys() == ["zoom", "bigbluebutton", "teams", "webex", "other"]
    for platform in ("webex", "other"):  # "other" tries every registered platform's headers
        (attendee,) = parse_report(WEBEX_REPORT, platform)
        assert (attendee.email, attendee.minutes) == ("amina@example.org", 70)


def test_an_unknown_platform_is_refused():
    with pytest.raises(ReportError, match="Unknown platform"):
        parse_report(WEBEX_REPORT, "webex")
