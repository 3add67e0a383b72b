"""The When line of a webinar says the date and the zone once."""

import zoneinfo
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from webinars.templatetags.webinars_tags import time_range


@pytest.mark.parametrize(
    "zone, start, end, expected",
    [
        (
            "America/Bogota",
            datetime(2027, 3, 10, 23, 15, tzinfo=UTC),
            datetime(2027, 3, 11, 0, 45, tzinfo=UTC),
            'March 10, 2027, 6:15 p.m.</time> – <time datetime="2027-03-11T00:45:00+00:00">'
            "7:45 p.m.</time> (<bdi>America/Bogota, -05</bdi>)",
        ),
        (
            "Asia/Kolkata",
            datetime(2027, 3, 10, 12, 45, tzinfo=UTC),
            datetime(2027, 3, 10, 14, 15, tzinfo=UTC),
            'March 10, 2027, 6:15 p.m.</time> – <time datetime="2027-03-10T14:15:00+00:00">'
            "7:45 p.m.</time> (<bdi>Asia/Kolkata, IST</bdi>)",
        ),
    ],
)
def test_same_day_says_the_date_and_zone_once(zone, start, end, expected):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        text = time_range(start, end)
    assert expected in text
    assert text.count("2027") == 3  # the date once, plus the two machine-readable times


def test_across_midnight_or_a_dst_change_both_ends_are_in_full():
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    with timezone.override(paris):
        # 01:30 CET to 03:30 CEST on the night summer time starts.
        dst = time_range(
            datetime(2027, 3, 28, 0, 30, tzinfo=UTC), datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
        )
        midnight = time_range(
            datetime(2027, 3, 10, 22, 30, tzinfo=UTC), datetime(2027, 3, 10, 23, 30, tzinfo=UTC)
        )
    assert "(<bdi>Europe/Paris, CET</bdi>)" in dst and "(<bdi>Europe/Paris, CEST</bdi>)" in dst
    assert "March 10, 2027" in midnight and "March 11, 2027" in midnight
