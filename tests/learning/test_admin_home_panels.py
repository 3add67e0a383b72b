"""The Wagtail admin home greets each role with its own figures: organizers the fill of
their next sessions, course editors this month's enrolments, trainers their regions'
materials and downloads; nobody sees another's."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from courses.factories import CoursePageFactory, EnrolmentFactory
from learning.factories import UserFactory, WorkshopMaterialFactory
from learning.migration_utils import GROUP_ORGANIZERS
from webinars.factories import RegistrationFactory, WebinarPageFactory, WebinarSeriesPageFactory
from webinars.models import Registration

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fixtures_workshops"]


def organizer():
    user = UserFactory(profile__time_zone="America/Bogota")
    user.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    return user


def test_an_organizer_sees_the_fill_of_their_next_sessions_only(client):
    mine, theirs = organizer(), organizer()
    soon = timezone.now() + timedelta(days=3)
    session = WebinarPageFactory(
        parent=WebinarSeriesPageFactory(organizers=[mine]),
        title="KM4B: mapping knowledge",
        capacity=4,
        start=soon,
        end=soon + timedelta(hours=1),
    )
    for _index in range(3):
        RegistrationFactory(webinar=session)
    RegistrationFactory(webinar=session, status=Registration.Status.WAITLISTED)
    WebinarPageFactory(
        parent=WebinarSeriesPageFactory(organizers=[theirs]),
        title="Someone else's session",
        start=soon,
        end=soon + timedelta(hours=1),
    )

    client.force_login(mine)
    body = client.get("/admin/").content.decode()
    assert 'id="next-webinar-sessions"' in body
    assert "KM4B: mapping knowledge" in body
    assert "3 of 4 seats (75 %)" in body
    assert "Start (America/Bogota)" in body
    assert "Someone else&#x27;s session" not in body and "Someone else's session" not in body
    assert 'id="trainer-regions"' not in body


def test_a_trainer_sees_their_regions_downloads(client, trainer_africa, africa_workshop):
    WorkshopMaterialFactory(workshop=africa_workshop, title="Stakeholder map", download_count=6)
    WorkshopMaterialFactory(workshop=africa_workshop, download_count=1)
    client.force_login(trainer_africa)
    body = client.get("/admin/").content.decode()
    assert 'id="trainer-regions"' in body
    assert "<td>2</td><td>7</td>" in body
    assert "Stakeholder map" in body
    assert 'id="next-webinar-sessions"' not in body


def test_an_administrator_sees_this_months_enrolments(client, admin_user):
    course = CoursePageFactory(title="Rio conventions synergies")
    EnrolmentFactory(course=course)
    EnrolmentFactory(course=course, enrolled_at=timezone.now() - timedelta(days=70))
    client.force_login(admin_user)
    body = client.get("/admin/").content.decode()
    assert 'id="courses-this-month"' in body
    row = body.split("Rio conventions synergies", 1)[1].split("</tr>", 1)[0]
    assert row.count("<td>") == 3 and "<td>1</td>" in row
