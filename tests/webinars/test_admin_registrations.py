import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from learning.exports import csv_safe
from learning.factories import RegionFactory, UserFactory
from learning.migration_utils import GROUP_ORGANIZERS
from webinars import services
from webinars.factories import (
    RegistrationFactory,
    RegistrationQuestionFactory,
    WebinarPageFactory,
    WebinarSeriesPageFactory,
)
from webinars.models import Registration

pytestmark = pytest.mark.django_db


def organizer_user():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    return user


@pytest.fixture
def organizer():
    return organizer_user()


@pytest.fixture
def webinar(organizer):
    series = WebinarSeriesPageFactory(organizers=[organizer])
    return WebinarPageFactory(parent=series, capacity=2)


def url(name, *args):
    return reverse(f"webinar_admin:{name}", args=args)


def test_organizer_sees_registrations_with_counts_answers_and_summary(
    client, organizer, webinar, django_assert_max_num_queries
):
    RegionFactory(name="Savanna test region", slug="savanna-test", countries=["KE", "SN"])
    question = RegistrationQuestionFactory(page=webinar, label="Your role")
    for country in ["KE", "SN", "BR", "FR", "KE"]:
        services.register(
            webinar, UserFactory(profile__country=country), {question.key: f"Focal point {country}"}
        )
    client.force_login(organizer)

    with django_assert_max_num_queries(25):
        response = client.get(url("registrations", webinar.pk))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Your role" in body and "Focal point BR" in body
    assert "Kenya" in body and "Savanna test region" in body
    assert webinar.join_url not in body
    counts = dict(response.context["counts"])
    assert counts["Confirmed"] == 2 and counts["Waitlisted"] == 3
    assert dict(response.context["region_rows"])["Savanna test region"] == 3
    assert dict(response.context["country_rows"])["Kenya"] == 2


def test_listing_query_count_does_not_grow_with_registrations(
    client, organizer, webinar, django_assert_max_num_queries
):
    for _ in range(40):
        RegistrationFactory(webinar=webinar)
    client.force_login(organizer)
    with django_assert_max_num_queries(25):
        assert client.get(url("registrations", webinar.pk)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(url("export", webinar.pk)).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(url("index")).status_code == 200


def test_filters_by_status_country_and_attendance(client, organizer, webinar):
    kenyan = RegistrationFactory(webinar=webinar, user=UserFactory(profile__country="KE"))
    RegistrationFactory(webinar=webinar, user=UserFactory(profile__country="BR"), attended=True)
    RegistrationFactory(webinar=webinar, status="waitlisted")
    client.force_login(organizer)

    def emails(**query):
        response = client.get(url("registrations", webinar.pk), query)
        return {registration.user.email for registration, _ in response.context["rows"]}

    assert emails(country="ke") == {kenyan.user.email}
    assert len(emails(status="confirmed")) == 2
    assert len(emails(attended="yes")) == 1
    assert len(emails(attended="unknown")) == 2


def test_csv_export_escapes_formulas_and_never_contains_the_join_url(client, organizer, webinar):
    question = RegistrationQuestionFactory(page=webinar, label="Comment")
    attacker = UserFactory(
        first_name='=HYPERLINK("http://evil")',
        last_name="",
        profile__full_name="=cmd|' /C calc'!A0",
    )
    services.register(webinar, attacker, {question.key: "+SUM(1,2)"})
    services.register(webinar, UserFactory(), {question.key: "@import"})
    client.force_login(organizer)

    response = client.get(url("export", webinar.pk))

    content = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][-1] == "Comment"
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][-1] == "'+SUM(1,2)"
    assert rows[2][-1] == "'@import"
    assert webinar.join_url not in content
    assert Registration.objects.first().token not in content
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("-2", "'-2"),
        ("+3", "'+3"),
        ("@x", "'@x"),
        ("plain", "plain"),
        (None, ""),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("registrations", "get"),
        ("export", "get"),
        ("message", "get"),
        ("attendance", "get"),
        ("follow_up", "post"),
    ],
)
def test_organizer_of_another_series_gets_404_and_nothing_changes(client, webinar, name, method):
    other = organizer_user()
    WebinarSeriesPageFactory(organizers=[other])
    RegistrationFactory(webinar=webinar)
    client.force_login(other)

    response = getattr(client, method)(url(name, webinar.pk))

    assert response.status_code == 404
    assert mail.outbox == []


def test_staff_who_organise_nothing_are_refused(client, webinar):
    RegistrationFactory(webinar=webinar)
    client.force_login(organizer_user())
    for response in (client.get(url("index")), client.get(url("registrations", webinar.pk))):
        # Wagtail's answer to PermissionDenied: back to the dashboard with an error message.
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")


def test_learners_cannot_reach_the_admin_screens(client, webinar, user):
    client.force_login(user)
    response = client.get(url("registrations", webinar.pk))
    assert response.status_code in (302, 403)
    assert webinar.join_url not in response.content.decode()


def test_other_organizer_cannot_act_on_a_registration(client, webinar):
    registration = RegistrationFactory(webinar=webinar, status="waitlisted")
    other = organizer_user()
    WebinarSeriesPageFactory(organizers=[other])
    client.force_login(other)

    response = client.post(
        url("registration_action", webinar.pk, registration.pk), {"action": "reject"}
    )

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "waitlisted"


def test_organizer_actions_change_registrations(client, organizer, webinar):
    pending = RegistrationFactory(webinar=webinar, status="pending")
    waiting = RegistrationFactory(webinar=webinar, status="waitlisted")
    client.force_login(organizer)

    client.post(url("registration_action", webinar.pk, pending.pk), {"action": "approve"})
    client.post(url("registration_action", webinar.pk, waiting.pk), {"action": "promote"})
    response = client.post(url("registration_action", webinar.pk, waiting.pk), {"action": "x"})

    assert response.status_code == 302
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert (pending.status, waiting.status) == ("confirmed", "confirmed")


def test_message_is_rendered_in_each_recipients_zone(
    client, organizer, webinar, django_capture_on_commit_callbacks
):
    RegistrationFactory(webinar=webinar, user=UserFactory(profile__time_zone="Asia/Tokyo"))
    RegistrationFactory(webinar=webinar, user=UserFactory(profile__time_zone="America/Lima"))
    RegistrationFactory(webinar=webinar, status="cancelled")
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("message", webinar.pk),
            {"subject": "Slides are online", "body": "See you soon.", "statuses": ["confirmed"]},
        )

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    bodies = sorted(message.body for message in mail.outbox)
    assert any("Asia/Tokyo" in body for body in bodies)
    assert any("America/Lima" in body for body in bodies)
    assert all("See you soon." in body for body in bodies)
    assert {message.subject for message in mail.outbox} == {"Slides are online"}


def test_message_with_empty_subject_is_refused(client, organizer, webinar):
    client.force_login(organizer)
    response = client.post(url("message", webinar.pk), {"subject": "", "body": "x"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
