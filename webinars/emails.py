"""Emails to registrants, each rendered in the recipient's language and time zone."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from learning.timezones import language_for_user, zone_for_user
from learning.translations import version_in
from webinars import calendar


def certificate_links(certificate):
    return {
        "verify": calendar.absolute_url(certificate.get_verification_path()),
        "pdf": calendar.absolute_url(reverse("learning:certificate_pdf", args=[certificate.code])),
    }


def build(registration, template, *, context=None, ics=None, ics_method="REQUEST"):
    """Render ``webinars/emails/<template>_subject.txt`` and ``<template>.txt`` for the
    registrant, optionally with an invitation attached."""
    user = registration.user
    webinar = registration.webinar
    zone = zone_for_user(user, fallback=webinar.zone)
    language = language_for_user(user)
    with translation.override(language), timezone.override(zone):
        values = {
            "registration": registration,
            "webinar": webinar,
            # The title in the recipient's language when the webinar is translated.
            "webinar_title": version_in(webinar, language).title,
            "series": webinar.series,
            "user": user,
            "name": str(getattr(user, "profile", "") or user.get_full_name() or user.email),
            "zone": zone,
            "page_url": calendar.absolute_url(webinar.url),
            "join_link": calendar.join_link(registration),
            "site_name": settings.WAGTAIL_SITE_NAME,
            **(context or {}),
        }
        subject = render_to_string(f"webinars/emails/{template}_subject.txt", values)
        body = render_to_string(f"webinars/emails/{template}.txt", values)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    if ics is not None:
        message.attach("invite.ics", ics, f"text/calendar; charset=utf-8; method={ics_method}")
    return message
