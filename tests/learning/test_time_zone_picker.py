"""The time-zone picker (issue 14, item 4): about 600 zones grouped by region, each with
today's offset from UTC and the place first, the person's own zone on top; a plain
<select> with <optgroup>s, so it works and is searchable by typing without JavaScript."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from learning.timezones import (
    ZONE_REGIONS,
    grouped_time_zone_choices,
    selectable_zone_names,
    utc_offset_label,
    zone_label,
    zone_links,
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
    # Every zone, but the legacy aliases and fixed offsets of "Other".
    hidden = set(selectable_zone_names()) - set(offered)
    assert {"US/Pacific", "Canada/Eastern", "GB", "Etc/GMT+3", "Etc/UTC"} <= hidden
    assert all("/" not in name or name.split("/")[0] not in ZONE_REGIONS for name in hidden)
    assert len(offered) == len(set(offered)) > 300
    africa = dict(groups[1][1])
    assert africa["Africa/Nairobi"] == "Nairobi (UTC+03:00)"


def test_other_holds_utc_and_no_alias_and_a_saved_alias_stays_selectable(client, user):
    groups = grouped_time_zone_choices(first="US/Pacific")
    other = dict(next(zones for label, zones in groups if str(label) == "Other"))
    assert "UTC" in other and len(other) < 20  # was 108 with every alias
    assert not {"US/Pacific", "Etc/GMT+3", "Japan"} & set(other)
    assert zone_links()["US/Pacific"] == "America/Los_Angeles"
    assert groups[0][1][0][0] == "US/Pacific"  # the person's saved zone, on top
    user.profile.time_zone = "US/Pacific"
    user.profile.save()
    client.force_login(user)
    html = client.get(reverse("learning:profile")).content.decode()
    assert '<option value="US/Pacific" selected>' in html


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
