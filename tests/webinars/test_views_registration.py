"""Registering over HTTP: only for a live webinar that anyone may see (Wagtail's view
restrictions hold for the registration URL too), in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from learning.factories import UserFactory
from webinars.factories import WebinarPageFactory, WebinarSeriesPageFactory
from webinars.models import Registration

pytestmark = pytest.mark.django_db


def _register(client, webinar):
    return client.post(reverse("webinars:register", args=[webinar.pk]))


@pytest.mark.parametrize("restricted", ["series", "webinar"])
@pytest.mark.parametrize(
    "restriction_type", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD]
)
def test_a_webinar_in_a_private_section_cannot_be_registered_for(
    client, user, restricted, restriction_type
):
    series = WebinarSeriesPageFactory()
    webinar = WebinarPageFactory(parent=series)
    PageViewRestriction.objects.create(
        page=series if restricted == "series" else webinar,
        restriction_type=restriction_type,
        password="secret",
    )
    client.force_login(user)

    assert _register(client, webinar).status_code == 404
    assert not Registration.objects.exists()


def test_a_restriction_on_another_section_does_not_hide_a_webinar(client, user):
    private = WebinarSeriesPageFactory()
    WebinarPageFactory(parent=private)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    webinar = WebinarPageFactory(parent=WebinarSeriesPageFactory())
    client.force_login(user)

    assert _register(client, webinar).status_code == 302
    assert Registration.objects.get().webinar == webinar


def test_an_unpublished_webinar_cannot_be_registered_for(client, user):
    webinar = WebinarPageFactory()
    webinar.unpublish()
    client.force_login(user)

    assert _register(client, webinar).status_code == 404
    assert not Registration.objects.exists()


def _queries_of_registering(client, webinar):
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        assert _register(client, webinar).status_code == 302
    return len(queries)


def test_registering_costs_the_same_queries_however_many_restrictions_and_registrations(
    client,
):
    webinar = WebinarPageFactory(capacity=50)
    _queries_of_registering(client, webinar)  # fills the caches (locales, the site's root)
    first = _queries_of_registering(client, webinar)
    for _ in range(5):
        PageViewRestriction.objects.create(
            page=WebinarSeriesPageFactory(), restriction_type=PageViewRestriction.LOGIN
        )
        Registration.objects.create(webinar=webinar, user=UserFactory(), status="confirmed")

    assert _queries_of_registering(client, webinar) == first
