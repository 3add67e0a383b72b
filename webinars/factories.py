"""factory_boy factories shared by the tests and the demo data."""

from datetime import timedelta

import factory
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from learning.demo import build_home_page
from learning.factories import UserFactory
from learning.models import HomePage
from webinars.models import (
    Registration,
    RegistrationQuestion,
    Speaker,
    WebinarPage,
    WebinarSeriesPage,
    WebinarSpeaker,
)


def default_home_page():
    """The site's home page (created, and made the default site's root, if missing)."""
    home = HomePage.objects.first()
    if home is None:
        # Transactional tests flush the tree that Wagtail's migrations created.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en"))
        if Page.get_first_root_node() is None:
            Page.add_root(instance=Page(title="Root", slug="root"))
        home = build_home_page()
    return home


class PageFactory(factory.django.DjangoModelFactory):
    """Creates a Wagtail page as a child of ``parent`` (a published revision too)."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return model_class.objects.get(pk=page.pk)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Speaker {n}")
    affiliation = "Secretariat of the Convention on Biological Diversity"
    country = "CA"


class WebinarSeriesPageFactory(PageFactory):
    class Meta:
        model = WebinarSeriesPage

    title = factory.Sequence(lambda n: f"Webinar series {n}")
    slug = factory.Sequence(lambda n: f"webinar-series-{n}")
    intro = "<p>Knowledge management for biodiversity.</p>"
    languages = "English"
    parent = factory.LazyFunction(default_home_page)
    organizers = factory.LazyFunction(list)


class WebinarPageFactory(PageFactory):
    class Meta:
        model = WebinarPage

    title = factory.Sequence(lambda n: f"Webinar {n}")
    slug = factory.Sequence(lambda n: f"webinar-{n}")
    abstract = "<p>How to share what your country knows about its biodiversity.</p>"
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(minutes=90))
    time_zone = "Europe/Paris"
    platform = WebinarPage.Platform.ZOOM
    join_url = factory.Sequence(lambda n: f"https://zoom.example.org/j/81{n:07d}?pwd=secret{n}")
    capacity = 100
    parent = factory.SubFactory(WebinarSeriesPageFactory)
    speaker_links = factory.LazyAttribute(
        lambda o: [
            WebinarSpeaker(speaker=speaker, sort_order=order)
            for order, speaker in enumerate(o.speakers)
        ]
    )

    class Params:
        speakers = ()


class RegistrationQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationQuestion

    page = factory.SubFactory(WebinarPageFactory)
    label = factory.Sequence(lambda n: f"Question {n}")
    kind = RegistrationQuestion.Kind.TEXT


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration
        django_get_or_create = ("webinar", "user")

    webinar = factory.SubFactory(WebinarPageFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED
    country = factory.LazyAttribute(lambda o: o.user.profile.country)


def reschedule(webinar, *, starts_in, lasts=timedelta(hours=1)):
    """Move ``webinar`` to start ``starts_in`` from now, ``lasts`` long, and publish it."""
    webinar.start = timezone.now() + starts_in
    webinar.end = webinar.start + lasts
    webinar.save_revision().publish()
    return webinar
