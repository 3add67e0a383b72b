"""A webinar in several languages is one webinar: seats and registrations are shared."""

import pytest

from learning.factories import UserFactory, translate_page
from webinars import queries, services
from webinars.factories import WebinarPageFactory
from webinars.models import Registration

pytestmark = pytest.mark.django_db


def test_registrations_and_seats_are_shared_by_the_language_versions(user):
    webinar = WebinarPageFactory(capacity=1)
    translate_page(webinar.get_parent().specific, "es")
    spanish = translate_page(webinar, "es", title="Seminario web")

    registration = services.register(spanish, user)

    assert registration.webinar_id == webinar.pk
    assert registration.status == Registration.Status.CONFIRMED
    assert services.register(webinar, user).pk == registration.pk
    assert queries.registration_state(webinar, user).registration == registration
    assert queries.registration_state(spanish, user).confirmed_count == 1
    # The one seat is taken in every language.
    other = services.register(webinar, UserFactory())
    assert other.status == Registration.Status.WAITLISTED
