"""Receivers: a published webinar page tells its registrants what changed."""

from django.dispatch import receiver
from wagtail.signals import page_published

from webinars import services
from webinars.models import WebinarPage


@receiver(page_published, sender=WebinarPage)
def webinar_published(sender, instance, **kwargs):
    services.apply_published_changes(instance)
