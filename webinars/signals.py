"""Receivers: a published webinar page tells its registrants what changed."""

from django.dispatch import receiver
from wagtail.signals import page_published

from learning import page_cache
from webinars import services
from webinars.models import (
    Registration,
    RegistrationQuestion,
    Speaker,
    WebinarDocument,
    WebinarPage,
    WebinarSpeaker,
)

# What anonymous webinar pages show besides the pages: seats taken, speakers, documents.
page_cache.invalidate_on_change(
    Registration, RegistrationQuestion, Speaker, WebinarDocument, WebinarSpeaker
)


@receiver(page_published, sender=WebinarPage)
def webinar_published(sender, instance, **kwargs):
    services.apply_published_changes(instance)
