from datetime import UTC
from urllib.parse import urlencode

from django import template
from django.utils.html import strip_tags

from webinars import calendar

register = template.Library()


def _utc(value):
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@register.simple_tag
def google_calendar_url(webinar):
    """ "Add to Google Calendar" link (times in UTC, no join URL)."""
    query = urlencode(
        {
            "action": "TEMPLATE",
            "text": webinar.title,
            "dates": f"{_utc(webinar.start)}/{_utc(webinar.end)}",
            "details": f"{strip_tags(webinar.abstract or '')[:500]}\n\n"
            f"{calendar.absolute_url(webinar.url)}",
        }
    )
    return f"https://calendar.google.com/calendar/render?{query}"


@register.simple_tag
def outlook_calendar_url(webinar):
    query = urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": webinar.title,
            "startdt": webinar.start.astimezone(UTC).isoformat(),
            "enddt": webinar.end.astimezone(UTC).isoformat(),
            "body": calendar.absolute_url(webinar.url),
        }
    )
    return f"https://outlook.office.com/calendar/0/deeplink/compose?{query}"
