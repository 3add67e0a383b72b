"""Zones are named in the reader's language: CLDR's name of the place (through Babel) and
the offset from UTC; English keeps the IANA key and the abbreviation. The picker's values
stay IANA keys, and the invitation (.ics) keeps its machine-readable UTC times."""

import zoneinfo
from collections import Counter
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from learning.factories import UserFactory
from learning.templatetags.learning_tags import with_zone
from learning.templatetags.learning_tags import zone_label as time_zone_label
from learning.timezones import babel_locale, grouped_time_zone_choices, localized_place
from webinars import services
from webinars.factories import WebinarPageFactory

JANUARY = datetime(2027, 1, 15, 12, tzinfo=UTC)


def label(zone, language, when=JANUARY):
    zone = zoneinfo.ZoneInfo(zone)
    with translation.override(language):
        return time_zone_label(timezone.localtime(when, zone), zone)


@pytest.mark.parametrize(
    "language, paris, kolkata, buenos_aires",
    [
        ("en", "Europe/Paris, CET", "Asia/Kolkata, IST", "America/Argentina/Buenos Aires, -03"),
        ("fr", "Paris, UTC+01:00", "Calcutta, UTC+05:30", "Buenos Aires, UTC\u221203:00"),
        ("es", "París, UTC+01:00", "Calcuta, UTC+05:30", "Buenos Aires, UTC\u221203:00"),
        ("ar", "باريس، UTC+01:00", "كالكتا، UTC+05:30", "بوينوس أيرس، UTC\u221203:00"),
        ("zh-hans", "巴黎，UTC+01:00", "加尔各答，UTC+05:30", "布宜诺斯艾利斯，UTC\u221203:00"),
        ("ru", "Париж, UTC+01:00", "Калькутта, UTC+05:30", "Буэнос-Айрес, UTC\u221203:00"),
    ],
)
def test_a_time_names_its_zone_in_the_readers_language(language, paris, kolkata, buenos_aires):
    assert label("Europe/Paris", language) == paris
    assert label("Asia/Kolkata", language) == kolkata
    assert label("America/Argentina/Buenos_Aires", language) == buenos_aires


def test_the_offset_follows_daylight_saving_time_and_aliases_name_their_place():
    july = datetime(2027, 7, 15, 12, tzinfo=UTC)
    assert label("Europe/Paris", "ru", july) == "Париж, UTC+02:00"
    assert label("Pacific/Auckland", "zh-hans") == "奥克兰，UTC+13:00"
    assert label("Africa/Nairobi", "ar") == "نيروبي، UTC+03:00"
    # A tzdata link is named as the place it links to; a nested key by its city.
    assert label("US/Pacific", "es") == "Los Ángeles, UTC\u221208:00"
    assert label("Asia/Calcutta", "fr") == "Calcutta, UTC+05:30"
    assert label("America/Indiana/Indianapolis", "ru") == "Индианаполис, UTC\u221205:00"


def test_zones_that_are_no_place_keep_their_iana_key():
    # CLDR would call Etc/GMT+5 "GMT+5" (it is UTC−05:00) and EST "Panama".
    assert label("Etc/GMT+5", "fr") == "Etc/GMT+5, UTC\u221205:00"
    assert label("EST", "ar") == "EST، UTC\u221205:00"
    assert label("UTC", "zh-hans") == "UTC"
    assert label("UTC", "en") == "UTC"
    assert localized_place("Etc/GMT+5", "fr") is None
    assert localized_place("CST6CDT", "ru") is None


def test_english_and_languages_cldr_does_not_know_keep_the_iana_names():
    assert babel_locale("en") is None and babel_locale("en-gb") is None
    assert babel_locale("tlh") is None  # not in CLDR
    assert str(babel_locale("zh-hans")) == "zh_Hans"
    assert localized_place("Europe/Paris", "tlh") is None
    assert label("Europe/Paris", "tlh") == "Europe/Paris, CET"


def test_with_zone_keeps_the_label_isolated_for_right_to_left_text():
    with translation.override("ar"):
        html = with_zone(JANUARY, zoneinfo.ZoneInfo("Africa/Cairo"))
    assert "(<bdi>القاهرة، UTC+02:00</bdi>)" in html


def _options(language, first=None):
    with translation.override(language):
        return [
            (str(group), name, text)
            for group, zones in grouped_time_zone_choices(first)
            for name, text in zones
        ]


def test_the_picker_names_places_in_french_and_arabic_with_iana_values():
    french = {name: text for _group, name, text in _options("fr")}
    assert french["Asia/Kolkata"] == "Calcutta (UTC+05:30)"
    assert french["Europe/Paris"] == "Paris (UTC+01:00)" or french["Europe/Paris"] == (
        "Paris (UTC+02:00)"
    )
    arabic = _options("ar", first="Africa/Cairo")
    assert arabic[0][1] == "Africa/Cairo" and arabic[0][2].startswith("القاهرة (UTC+0")
    by_name = {name: (group, text) for group, name, text in arabic[1:]}
    assert by_name["Africa/Nairobi"] == ("أفريقيا", "نيروبي (UTC+03:00)")
    assert by_name["Asia/Kolkata"][1] == "كالكتا (UTC+05:30)"
    # Zones that are no place keep their key: "Other" still offers UTC.
    assert by_name["UTC"][1] == "UTC (UTC)"
    # The values are the same IANA keys in every language.
    english = [(group, name) for group, name, _text in _options("en")]
    assert len(english) > 400
    assert sorted(name for _g, name in english) == sorted(name for _g, name, _t in arabic[1:])


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "zh-hans", "ru"])
def test_no_two_options_of_the_picker_read_the_same(language):
    options = _options(language)
    twins = [text for text, count in Counter(t for _g, _n, t in options).items() if count > 1]
    assert not twins
    by_name = {name: text for _group, name, text in options}
    if language != "en":
        # A legacy alias that reads as its zone also shows its key.
        assert by_name["Asia/Calcutta"].endswith("(Asia/Calcutta, UTC+05:30)")
        assert "Asia/Calcutta" not in by_name["Asia/Kolkata"]


@pytest.mark.django_db
def test_the_profile_page_offers_localized_places_in_french(client, user):
    user.profile.time_zone = "Asia/Kolkata"
    user.profile.preferred_language = "fr"
    user.profile.save()
    client.force_login(user)
    html = client.get(reverse("learning:profile"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<option value="Asia/Kolkata" selected>Calcutta (UTC+05:30)</option>' in html


@pytest.mark.django_db
def test_a_webinar_page_names_the_zone_in_russian_and_arabic(client):
    webinar = WebinarPageFactory(
        time_zone="Europe/Moscow",
        start=JANUARY,
        end=datetime(2027, 1, 15, 13, 30, tzinfo=UTC),
    )
    russian = client.get(webinar.url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "<bdi>Москва, UTC+03:00</bdi>" in russian
    assert "Время указано в часовом поясе <bdi>Москва</bdi>." in russian  # the footer
    assert "Europe/Moscow" not in russian.replace('"Europe/Moscow"', "")
    client.cookies["tz"] = "Africa/Cairo"
    arabic = client.get(webinar.url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "<bdi>القاهرة، UTC+02:00</bdi>" in arabic


@pytest.mark.django_db
def test_an_email_names_the_zone_in_the_recipients_language_and_the_ics_stays_utc(
    django_capture_on_commit_callbacks,
):
    webinar = WebinarPageFactory(
        capacity=5,
        time_zone="Europe/Paris",
        start=datetime(2027, 3, 10, 12, tzinfo=UTC),
        end=datetime(2027, 3, 10, 13, tzinfo=UTC),
    )
    reader = UserFactory(profile__preferred_language="ar", profile__time_zone="Africa/Cairo")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.register(webinar, reader)
    (message,) = mail.outbox
    assert "القاهرة، UTC+02:00" in message.body
    assert "Africa/Cairo" not in message.body
    ((_filename, ics, _mimetype),) = message.attachments
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "DTSTART:20270310T120000Z" in ics and "القاهرة" not in ics
