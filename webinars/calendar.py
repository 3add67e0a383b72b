"""iCalendar (.ics) documents: personal invitations, the public per-webinar file and
series feed, and each person's private feed.

Every document describes a webinar with the same UID, so importing the invitation and
the public file never duplicates an event; SEQUENCE is the webinar's ``sequence``, bumped
by each reschedule. Times are written in UTC.
"""

from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event, vCalAddress, vText

from learning.timezones import language_for_user
from learning.translations import version_in
from webinars.models import Registration, WebinarPage

PRODID = "-//Capacity Building Platform//Webinars//EN"


def site_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(path):
    if not path:
        return site_url() + "/"
    if path.startswith(("http://", "https://")):
        return path
    return site_url() + path


def join_link(registration):
    """The personal, gated join link (never the platform's URL itself)."""
    return absolute_url(reverse("webinars:join", args=[registration.token]))


def uid_for(webinar):
    return f"webinar-{webinar.pk}@{urlsplit(site_url()).hostname or 'localhost'}"


def _calendar(method=None, name=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _event(webinar, *, cancelled=False, tentative=False, extra_description="", language=None):
    """One event; its title and description in ``language`` when the webinar has a version
    in it (times, status and sequence are the webinar's own)."""
    words = version_in(webinar, language) if language else webinar
    event = Event()
    page_url = absolute_url(webinar.url)
    event.add("uid", uid_for(webinar))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", webinar.start.astimezone(UTC))
    event.add("dtend", webinar.end.astimezone(UTC))
    event.add("summary", words.title)
    event.add("sequence", webinar.sequence)
    event.add("url", page_url)
    description = strip_tags(words.abstract or "").strip()
    parts = [part for part in (description, extra_description, page_url) if part]
    event.add("description", "\n\n".join(parts))
    event.add("location", vText(webinar.get_platform_display()))
    if cancelled or webinar.status == WebinarPage.Status.CANCELLED:
        event.add("status", "CANCELLED")
    elif tentative:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    return event


def _organizer():
    address = vCalAddress("mailto:" + _email_address(settings.DEFAULT_FROM_EMAIL))
    address.params["cn"] = vText(settings.WAGTAIL_SITE_NAME)
    return address


def _email_address(value):
    return value.rsplit("<", 1)[-1].rstrip(">").strip()


def invitation(registration, *, cancel=False):
    """The invitation attached to a registrant's emails: METHOD:REQUEST for a seat,
    METHOD:CANCEL once it is gone."""
    webinar = registration.webinar
    calendar = _calendar(method="CANCEL" if cancel else "REQUEST")
    event = _event(
        webinar,
        cancelled=cancel,
        extra_description="" if cancel else join_link(registration),
        language=language_for_user(registration.user),
    )
    event.add("organizer", _organizer())
    attendee = vCalAddress("mailto:" + registration.user.email)
    attendee.params["cn"] = vText(str(getattr(registration.user, "profile", registration.user)))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("DECLINED" if cancel else "ACCEPTED")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def webinar_calendar(webinar):
    calendar = _calendar(method="PUBLISH")
    calendar.add_component(_event(webinar))
    return calendar.to_ical()


def series_calendar(series, webinars):
    calendar = _calendar(method="PUBLISH", name=series.title)
    for webinar in webinars:
        calendar.add_component(_event(webinar))
    return calendar.to_ical()


def personal_calendar(user, registrations, name):
    """A person's registrations; confirmed ones carry their join link."""
    calendar = _calendar(method="PUBLISH", name=name)
    for registration in registrations:
        confirmed = registration.status == Registration.Status.CONFIRMED
        calendar.add_component(
            _event(
                registration.webinar,
                tentative=not confirmed,
                extra_description=join_link(registration) if confirmed else "",
            )
        )
    return calendar.to_ical()
