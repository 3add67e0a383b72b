"""The time-zone picker (issue 14, item 4): about 600 zones grouped by region, each with
today's offset from UTC and the place first, the person's own zone on top; a plain
<select> with <optgroup>s, so it works and is searchable by typing without JavaScript."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from learning.timezones import (
    grouped_time_zone_choices,
    selectable_zone_names,
    utc_offset_label,
    zone_label,
)

pytestmark = pytest.mark.django_db


def test_offsets_are_named_with_a_real_minus_sign():
    assert utc_offset_label(0) == "UTC"
    assert utc_offset_label(330) == "UTC+05:30"
    assert utc_offset_label(-180) == "UTC\u221203:00"
    assert utc_offset_label(-570) == "UTC\u221209:30"


def test_labels_follow_daylight_saving_time():
    january, july = datetime(2027, 1, 15, tzinfo=UTC), datetime(2027, 7, 15, tzinfo=UTC)
    assert zone_label("Europe/Paris", january) == "Paris (UTC+01:00)"
    assert zone_label("Europe/Paris", july) == "Paris (UTC+02:00)"
    assert zone_label("America/Argentina/Buenos_Aires", july) == (
        "Argentina / Buenos Aires (UTC\u221203:00)"
    )
    assert zone_label("Asia/Kathmandu", july) == "Kathmandu (UTC+05:45)"


def test_every_zone_is_offered_once_in_a_region_and_the_own_zone_first():
    groups = grouped_time_zone_choices(first="Africa/Dakar")
    labels = [str(label) for label, _zones in groups]
    assert labels[0] == "Your time zone"
    assert groups[0][1] == [("Africa/Dakar", "Dakar (UTC)")]
    assert labels[1:4] == ["Africa", "Americas", "Antarctica"]
    offered = [name for _label, zones in groups[1:] for name, _text in zones]
    assert sorted(offered) == sorted(selectable_zone_names())
    assert len(offered) == len(set(offered)) > 300
    africa = dict(groups[1][1])
    assert africa["Africa/Nairobi"] == "Nairobi (UTC+03:00)"


def test_an_unknown_first_zone_is_not_offered():
    assert str(grouped_time_zone_choices(first="Mars/Olympus")[0][0]) == "Africa"


def test_group_names_are_in_the_readers_language():
    with translation.override("fr"):
        labels = [str(label) for label, _zones in grouped_time_zone_choices()]
    assert "Afrique" in labels and "Amériques" in labels and "Autre" in labels


def test_the_profile_page_offers_the_grouped_picker_without_javascript(client, user):
    user.profile.time_zone = "Asia/Kolkata"
    user.profile.save()
    client.force_login(user)
    html = client.get(reverse("learning:profile")).content.decode()
    assert '<optgroup label="Your time zone">' in html
    assert '<optgroup label="Pacific Ocean">' in html
    assert "Kolkata (UTC+05:30)" in html
    response = client.post(
        reverse("learning:profile"),
        {"full_name": "Anna", "preferred_language": "en", "time_zone": "Pacific/Chatham"},
    )
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.time_zone == "Pacific/Chatham"
