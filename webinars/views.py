"""Public views of webinars: registration, cancellation, join link, calendars."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import PageViewRestriction

from learning.timezones import zone_for_user
from learning.translations import canonical
from webinars import calendar, services
from webinars.forms import RegistrationForm
from webinars.models import CalendarFeed, Registration, WebinarPage, WebinarSeriesPage


def _live_webinar(pk):
    """The live webinar ``pk`` that anyone may see, with its questions: two queries.
    Public as in Wagtail's ``public()`` (no view restriction on the page or an ancestor,
    i.e. on a page whose path starts its own), checked in the page's query rather than by
    first loading every restriction of the site. The form and the service both read the
    questions."""
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return get_object_or_404(
        WebinarPage.objects.live().filter(~Exists(restricted)).prefetch_related("questions"),
        pk=pk,
    )


@require_POST
@login_required
def register(request, pk):
    webinar = _live_webinar(pk)
    form = RegistrationForm(request.POST, webinar=webinar, prefix="registration")
    if form.is_valid():
        try:
            registration = services.register(webinar, request.user, form.answers())
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _status_message(registration))
            return redirect(webinar.url)
    context = webinar.get_context(request)
    context["form"] = form
    return TemplateResponse(request, webinar.get_template(request), context, status=400)


def _status_message(registration):
    return {
        Registration.Status.CONFIRMED: _("Your seat is confirmed. We have emailed you."),
        Registration.Status.WAITLISTED: _(
            "The webinar is full: you are on the waitlist. We will email you if a seat frees up."
        ),
        Registration.Status.PENDING: _(
            "Your registration awaits the organizers' approval. We will email you."
        ),
    }.get(registration.status, _("Your registration has been saved."))


@require_http_methods(["GET", "POST"])
@login_required
def cancel(request, pk):
    """GET asks to confirm (no JavaScript needed); POST cancels."""
    webinar = _live_webinar(pk)
    registration = get_object_or_404(
        Registration.objects.exclude(status=Registration.Status.CANCELLED),
        webinar=canonical(webinar),
        user=request.user,
    )
    if request.method == "GET":
        timezone.activate(zone_for_user(request.user, fallback=webinar.zone, request=request))
        return TemplateResponse(
            request,
            "webinars/cancel_confirm.html",
            {"webinar": webinar, "registration": registration},
        )
    try:
        services.cancel_registration(registration, user=request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(webinar.url)


# What the join page answers when it does not let the registrant in.
JOIN_STATUS_CODES = {"not_confirmed": 403, "cancelled": 410}


@never_cache
@require_http_methods(["GET", "POST"])
def join(request, token):
    """The personal join link. Reveals the platform's URL (as a redirect, after a POST) only
    when ``services.join_state`` lets the registrant in."""
    registration = get_object_or_404(
        Registration.objects.select_related("webinar", "user"), token=token
    )
    webinar = registration.webinar
    timezone.activate(zone_for_user(registration.user, fallback=webinar.zone, request=request))
    state = services.join_state(registration)
    if state == "open" and request.method == "POST":
        services.record_join_click(registration)
        response = redirect(webinar.join_url)
        # The browser applies a redirect's policy to the request it then makes: the
        # meeting host never learns the personal link (or any page of ours) it came from.
        response["Referrer-Policy"] = "no-referrer"
    else:
        response = TemplateResponse(
            request,
            "webinars/join.html",
            {"registration": registration, "webinar": webinar, "state": state},
            status=JOIN_STATUS_CODES.get(state, 200),
        )
        # Not "no-referrer": under it Chromium posts the "Join now" form with
        # ``Origin: null`` and the CSRF check refuses it. "same-origin" still keeps the
        # link from every other site the page links to.
        response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _ics_response(content, filename, private=False):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def webinar_ics(request, pk):
    webinar = _live_webinar(pk)
    return _ics_response(calendar.webinar_calendar(webinar), f"webinar-{webinar.pk}.ics")


@require_GET
def series_ics(request, pk):
    series = get_object_or_404(WebinarSeriesPage.objects.live().public(), pk=pk)
    return _ics_response(
        calendar.series_calendar(series, series.sessions()), f"series-{series.pk}.ics"
    )


@require_POST
@login_required
def replace_calendar_feed(request):
    services.replace_calendar_feed(request.user)
    messages.success(
        request,
        _(
            "Your private calendar address was replaced: the old one no longer works. "
            "Subscribe your calendar application to the new address."
        ),
    )
    return redirect(f"{reverse('learning:dashboard')}#my-webinars-heading")


@require_GET
def personal_ics(request, token):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    registrations = (
        Registration.objects.filter(user=feed.user, webinar__live=True)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("webinar", "user")
        .order_by("webinar__start")
    )
    return _ics_response(
        calendar.personal_calendar(feed.user, registrations, _("My webinars")),
        "my-webinars.ics",
        private=True,
    )
