"""Organizers type and read a webinar's times in the event's own zone, whatever zone their
Wagtail account has (UTC unless they set one); listings show the organizer's zone, named."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text
from wagtail.users.models import UserProfile

from courses.factories import grant_page_permissions
from learning.factories import UserFactory
from learning.migration_utils import GROUP_ORGANIZERS
from webinars import services
from webinars.factories import WebinarPageFactory, WebinarSeriesPageFactory
from webinars.models import WebinarPage

pytestmark = pytest.mark.django_db


def _data(start, end, time_zone, **overrides):
    return nested_form_data(
        {
            "title": "Bogotá session",
            "slug": "bogota-session",
            "abstract": rich_text("<p>Sharing what we know.</p>"),
            "start": start,
            "end": end,
            "time_zone": time_zone,
            "language": "es",
            "status": "scheduled",
            "moderator": "",
            "speaker_links": inline_formset([]),
            "platform": "zoom",
            "join_url": "https://zoom.example.org/j/1",
            "capacity": "",
            "registration_opens_at": "",
            "registration_closes_at": "",
            "questions": inline_formset([]),
            "attendance_threshold": "50",
            "recording_url": "",
            "documents": inline_formset([]),
            "summary": rich_text(""),
            "action-publish": "publish",
            **overrides,
        }
    )


def _zone_named(name):
    """How the editor names the zone beside the time fields."""
    return '<strong data-webinar-zone="">' + name + "</strong>"


def _add(client, series, data):
    url = reverse("wagtailadmin_pages:add", args=["webinars", "webinarpage", series.pk])
    return client.post(url, data)


@pytest.fixture
def series(admin_user):
    # The editor's Wagtail account zone must not matter: use one far from every event.
    profile = UserProfile.get_for_user(admin_user)
    profile.current_time_zone = "Asia/Tokyo"
    profile.save()
    return WebinarSeriesPageFactory()


@pytest.mark.parametrize(
    "time_zone, start, end, utc_start, utc_end",
    [
        # Bogotá: UTC-5 all year.
        ("America/Bogota", "2027-03-10 18:15", "2027-03-10 19:45", (23, 15), (0, 45)),
        # Kolkata: a half-hour zone, UTC+5:30.
        ("Asia/Kolkata", "2027-03-10 18:15", "2027-03-10 19:45", (12, 45), (14, 15)),
        # Paris, the day before and the day after summer time starts (28 March 2027).
        ("Europe/Paris", "2027-03-27 10:00", "2027-03-27 11:00", (9, 0), (10, 0)),
        ("Europe/Paris", "2027-03-29 10:00", "2027-03-29 11:00", (8, 0), (9, 0)),
        # Across the change itself: 01:30 CET to 03:30 CEST is one hour.
        ("Europe/Paris", "2027-03-28 01:30", "2027-03-28 03:30", (0, 30), (1, 30)),
    ],
)
def test_times_are_typed_in_the_events_zone(
    client, admin_user, series, time_zone, start, end, utc_start, utc_end
):
    client.force_login(admin_user)

    response = _add(client, series, _data(start, end, time_zone))

    assert response.status_code == 302, response.context["form"].errors
    webinar = WebinarPage.objects.get(slug="bogota-session")
    assert (webinar.start.astimezone(UTC).hour, webinar.start.astimezone(UTC).minute) == utc_start
    assert (webinar.end.astimezone(UTC).hour, webinar.end.astimezone(UTC).minute) == utc_end
    # Read back as typed, the zone named beside the fields.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[webinar.pk])).content.decode()
    assert f'value="{start}"' in edit and f'value="{end}"' in edit
    assert _zone_named(time_zone.replace("_", " ")) in edit


@pytest.mark.parametrize(
    "time_zone, start",
    [
        ("Europe/Paris", "2027-03-28 02:30"),  # skipped when summer time starts
        ("Europe/Paris", "2027-10-31 02:30"),  # happens twice when it ends
    ],
)
def test_a_local_time_that_does_not_exist_or_is_ambiguous_is_refused(
    client, admin_user, series, time_zone, start
):
    client.force_login(admin_user)

    response = _add(client, series, _data(start, "2027-12-01 10:00", time_zone))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Europe/Paris" in str(errors["start"])
    assert not WebinarPage.objects.filter(slug="bogota-session").exists()


def test_registration_window_is_typed_in_the_events_zone(client, admin_user, series):
    client.force_login(admin_user)
    data = _data(
        "2027-03-10 18:15",
        "2027-03-10 19:45",
        "America/Bogota",
        registration_opens_at="2027-03-01 09:00",
        registration_closes_at="2027-03-10 12:00",
    )

    assert _add(client, series, data).status_code == 302
    webinar = WebinarPage.objects.get(slug="bogota-session")
    assert webinar.registration_opens_at == datetime(2027, 3, 1, 14, tzinfo=UTC)
    assert webinar.registration_closes_at == datetime(2027, 3, 10, 17, tzinfo=UTC)


def test_changing_the_zone_reads_the_typed_times_in_the_new_zone(client, admin_user, series):
    webinar = WebinarPageFactory(
        parent=series,
        time_zone="Europe/Paris",
        start=datetime(2027, 3, 10, 17, tzinfo=UTC),
        end=datetime(2027, 3, 10, 18, tzinfo=UTC),
    )
    client.force_login(admin_user)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[webinar.pk])).content.decode()
    assert 'value="2027-03-10 18:00"' in edit  # 17:00 UTC is 18:00 in Paris

    data = _data("2027-03-10 18:00", "2027-03-10 19:00", "Asia/Kolkata", slug=webinar.slug)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[webinar.pk]), data)

    assert response.status_code == 302, response.context["form"].errors
    webinar.refresh_from_db()
    assert webinar.start == datetime(2027, 3, 10, 12, 30, tzinfo=UTC)


def test_a_new_webinar_starts_in_the_organizers_own_zone(client, series):
    organizer = UserFactory(profile__time_zone="America/Bogota")
    organizer.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    grant_page_permissions(series, GROUP_ORGANIZERS)  # as the demo does
    client.force_login(organizer)

    url = reverse("wagtailadmin_pages:add", args=["webinars", "webinarpage", series.pk])
    html = client.get(url).content.decode()

    assert '<option value="America/Bogota" selected>' in html
    assert _zone_named("America/Bogota") in html


def test_registration_listings_show_the_organizers_zone_named(client):
    organizer = UserFactory(profile__time_zone="Asia/Kolkata")
    organizer.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    series = WebinarSeriesPageFactory(organizers=[organizer])
    webinar = WebinarPageFactory(
        parent=series, time_zone="Europe/Paris", start=datetime(2027, 3, 10, 12, tzinfo=UTC)
    )
    services.register(webinar, UserFactory())
    client.force_login(organizer)

    index = client.get(reverse("webinar_admin:index")).content.decode()
    listing = client.get(reverse("webinar_admin:registrations", args=[webinar.pk]))

    assert listing.status_code == 200
    for html in (index, listing.content.decode()):
        assert "5:30 p.m. (<bdi>Asia/Kolkata, IST</bdi>)" in html  # 12:00 UTC
        assert "(UTC)" not in html


def test_a_draft_left_by_autosave_is_named_with_a_way_out(client, admin_user, series):
    # What Wagtail's autosave leaves of an abandoned "Add webinar": a never-published draft.
    draft = WebinarPageFactory(parent=series, title="Bogotá session", slug="bogota-session")
    draft.unpublish()
    WebinarPage.objects.filter(pk=draft.pk).update(first_published_at=None)
    client.force_login(admin_user)

    response = _add(client, series, _data("2027-03-10 18:15", "2027-03-10 19:45", "UTC"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "An unpublished draft, “Bogotá session”, already uses this slug" in body
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[draft.pk])}"' in body
    assert f'href="{reverse("wagtailadmin_pages:delete", args=[draft.pk])}"' in body
    assert WebinarPage.objects.filter(slug="bogota-session").count() == 1


def test_a_published_namesake_keeps_wagtails_own_message(client, admin_user, series):
    WebinarPageFactory(parent=series, title="Bogotá session", slug="bogota-session")
    client.force_login(admin_user)

    response = _add(client, series, _data("2027-03-10 18:15", "2027-03-10 19:45", "UTC"))

    body = response.content.decode()
    assert "already in use within the parent page" in body
    assert "An unpublished draft" not in body
