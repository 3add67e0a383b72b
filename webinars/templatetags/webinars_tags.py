from datetime import UTC
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, strip_tags

from learning.personal_page_cache import hole, personal_part
from learning.templatetags.learning_tags import with_zone, zone_label
from webinars import calendar
from webinars.models import Registration

register = template.Library()


@register.simple_tag(takes_context=True)
def join_url(context, registration):
    """A registrant's personal join link. A page kept for its viewer holds a placeholder
    instead (``learning.personal_page_cache``): the link is looked up for each response."""
    url = reverse("webinars:join", args=[registration.token])
    return hole(context.get("request"), "joinurl", registration.pk, value=url)


@personal_part("joinurl")
def _join_url_of(request, registration_pk):
    token = (
        Registration.objects.filter(pk=registration_pk, user_id=request.user.pk)
        .values_list("token", flat=True)
        .first()
    )
    return reverse("webinars:join", args=[token]) if token else ""


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


@register.filter
def time_range(start, end):
    """A webinar's time in the active zone, the date and the zone said once when it starts
    and ends on the same day: "March 10, 2027, 6:15 p.m. – 7:45 p.m. (America/Bogota, -05)".
    Across midnight or a change of offset, both ends in full."""
    zone = timezone.get_current_timezone()
    local_start, local_end = timezone.localtime(start, zone), timezone.localtime(end, zone)
    if local_start.date() != local_end.date() or local_start.tzname() != local_end.tzname():
        return format_html("{} – {}", with_zone(start), with_zone(end))
    return format_html(
        '<time datetime="{}">{}</time> – <time datetime="{}">{}</time> (<bdi>{}</bdi>)',
        start.isoformat(),
        formats.date_format(local_start, "DATETIME_FORMAT"),
        end.isoformat(),
        formats.time_format(local_end, "TIME_FORMAT"),
        zone_label(local_start, zone),
    )
