"""Organizers' screens in the Wagtail admin: registrations per webinar (filters, counts,
answers, by-country and by-region summary, CSV export), approval and waitlist actions,
messages to registrants, attendance import and after-event emails.

Every view starts from ``services.managed_webinars(request.user)``: an organizer reaches
only the sessions of series they are assigned to (404 for the others)."""

import csv
from datetime import UTC

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from learning.exports import csv_safe
from learning.models import AuditEntry
from learning.privacy.services import record as audit
from learning.timezones import zone_for_editor
from webinars import queries, services
from webinars.forms import (
    AttendanceImportForm,
    MatchRecordForm,
    MessageForm,
    RegistrationFilterForm,
)
from webinars.models import AttendanceImport, AttendanceRecord, Registration, Speaker

PAGE_SIZE = 100


def _webinar(request, pk):
    return get_object_or_404(services.managed_webinars(request.user), pk=pk)


def index(request):
    webinars = (
        services.managed_webinars(request.user)
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
            waitlisted=Count("registrations", filter=Q(registrations__status="waitlisted")),
            pending=Count("registrations", filter=Q(registrations__status="pending")),
        )
        .order_by("-start")
    )
    return TemplateResponse(
        request,
        "webinars/admin/index.html",
        {
            "webinars": webinars,
            "page_title": _("Webinar registrations"),
            "organizer_zone": zone_for_editor(request.user, request),
        },
    )


def registrations(request, pk):
    webinar = _webinar(request, pk)
    filter_form = RegistrationFilterForm(request.GET or None)
    queryset = filter_form.filter(
        Registration.objects.filter(webinar=webinar).select_related("user__profile")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("p"))
    questions = list(webinar.questions.all())
    rows = [
        (registration, [_answer_text(registration.answers.get(q.key)) for q in questions])
        for registration in page
    ]
    country_rows, region_rows = queries.country_summary(webinar)
    return TemplateResponse(
        request,
        "webinars/admin/registrations.html",
        {
            "webinar": webinar,
            "page_title": webinar.title,
            "filter_form": filter_form,
            "page": page,
            "rows": rows,
            "questions": questions,
            "counts": queries.status_counts(webinar),
            "country_rows": country_rows,
            "region_rows": region_rows,
            "query": request.GET.urlencode(),
            "organizer_zone": zone_for_editor(request.user, request),
        },
    )


def _answer_text(value):
    if isinstance(value, list):
        return "; ".join(value)
    return value or ""


def export_csv(request, pk):
    webinar = _webinar(request, pk)
    filter_form = RegistrationFilterForm(request.GET or None)
    queryset = filter_form.filter(
        Registration.objects.filter(webinar=webinar).select_related("user__profile")
    )
    questions = list(webinar.questions.all())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"registrations-{slugify(webinar.title)[:50] or webinar.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    audit(request.user, AuditEntry.Action.EXPORT, summary=filename)
    response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Name"),
            _("Email"),
            _("Country"),
            _("Status"),
            _("Registered at (UTC)"),
            _("Attended"),
            _("Minutes attended"),
            _("Join clicks"),
            *[question.label for question in questions],
        ]
    )
    for registration in queryset.iterator(chunk_size=500):
        profile = getattr(registration.user, "profile", None)
        attended = {True: _("yes"), False: _("no")}.get(registration.attended, "")
        writer.writerow(
            [
                csv_safe(value)
                for value in [
                    getattr(profile, "full_name", "") or registration.user.get_full_name(),
                    registration.user.email,
                    registration.country.name if registration.country else "",
                    registration.get_status_display(),
                    registration.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
                    attended,
                    registration.attended_minutes,
                    registration.join_clicks,
                    *[_answer_text(registration.answers.get(q.key)) for q in questions],
                ]
            ]
        )
    return response


ACTIONS = {
    "approve": (services.approve_registration, gettext_lazy("Registration approved.")),
    "reject": (services.reject_registration, gettext_lazy("Registration turned down.")),
    "promote": (services.move_off_waitlist, gettext_lazy("Moved off the waitlist.")),
    "cancel": (
        lambda registration, user: services.cancel_registration(registration, user=user),
        gettext_lazy("Registration cancelled."),
    ),
    "attended": (
        lambda registration, user: services.mark_attendance(registration, user, attended=True),
        gettext_lazy("Marked as attended."),
    ),
    "absent": (
        lambda registration, user: services.mark_attendance(registration, user, attended=False),
        gettext_lazy("Marked as absent."),
    ),
}


@require_POST
def registration_action(request, pk, registration_pk):
    webinar = _webinar(request, pk)
    registration = get_object_or_404(Registration, webinar=webinar, pk=registration_pk)
    action = ACTIONS.get(request.POST.get("action"))
    if action is None:
        messages.error(request, _("Unknown action."))
    else:
        function, success = action
        try:
            function(registration, request.user)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(success))
    return redirect(_registrations_url(webinar, request.POST.get("query", "")))


def _registrations_url(webinar, query=""):
    url = reverse("webinar_admin:registrations", args=[webinar.pk])
    return f"{url}?{query}" if query else url


def message(request, pk):
    webinar = _webinar(request, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.message_registrants(
                webinar,
                request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                statuses=form.cleaned_data["statuses"],
            )
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your message is being sent to %(count)s people.") % {"count": count}
            )
            return redirect(_registrations_url(webinar))
    return TemplateResponse(
        request,
        "webinars/admin/message.html",
        {"webinar": webinar, "form": form, "page_title": _("Message registrants")},
    )


def attendance(request, pk):
    webinar = _webinar(request, pk)
    form = AttendanceImportForm(
        request.POST or None, request.FILES or None, initial={"platform": webinar.platform}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["report"]
        try:
            report = services.import_attendance(
                webinar,
                request.user,
                platform=form.cleaned_data["platform"],
                file=upload,
                file_name=upload.name,
            )
        except services.RegistrationError as error:
            form.add_error("report", str(error))
        else:
            messages.success(
                request,
                _("Imported %(rows)s rows: %(people)s people.")
                % {"rows": report.row_count, "people": report.records.count()},
            )
            return redirect("webinar_admin:attendance", pk=webinar.pk)
    report = AttendanceImport.objects.filter(webinar=webinar).first()
    unmatched = []
    if report is not None:
        unmatched = [
            (record, MatchRecordForm(webinar=webinar, prefix=f"r{record.pk}"))
            for record in report.records.filter(registration__isnull=True)
        ]
    return TemplateResponse(
        request,
        "webinars/admin/attendance.html",
        {
            "webinar": webinar,
            "form": form,
            "report": report,
            "unmatched": unmatched,
            "matched_count": report.records.filter(registration__isnull=False).count()
            if report
            else 0,
            "page_title": _("Attendance"),
        },
    )


@require_POST
def match_record(request, pk, record_pk):
    webinar = _webinar(request, pk)
    record = get_object_or_404(AttendanceRecord, pk=record_pk, attendance_import__webinar=webinar)
    form = MatchRecordForm(request.POST, webinar=webinar, prefix=f"r{record.pk}")
    if form.is_valid():
        services.match_attendance_record(record, form.cleaned_data["registration"], request.user)
        messages.success(request, _("Row matched; attendance recomputed."))
    else:
        messages.error(request, _("Choose a registrant to match this row to."))
    return redirect("webinar_admin:attendance", pk=webinar.pk)


@require_POST
def follow_up(request, pk):
    webinar = _webinar(request, pk)
    try:
        count = services.send_follow_up(webinar, request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("After-event emails are being sent to %(count)s people.") % {"count": count}
        )
    return redirect(_registrations_url(webinar))


class SpeakerViewSet(SnippetViewSet):
    model = Speaker
    icon = "user"
    menu_label = gettext_lazy("Speakers")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["name", "affiliation", "country"]
    list_filter = ["country"]
    search_fields = ["name", "affiliation"]
    search_backend_name = None


class OrganizerMenuItem(MenuItem):
    def is_shown(self, request):
        return services.managed_series(request.user).exists()


class WebinarAdminViewSet(ViewSet):
    name = "webinar_admin"
    url_prefix = "webinar-registrations"
    icon = "group"
    menu_label = gettext_lazy("Webinar registrations")
    menu_item_class = OrganizerMenuItem
    add_to_admin_menu = True
    menu_order = 250

    def get_urlpatterns(self):
        return [
            path("", _organizers_only(index), name="index"),
            path("<id:pk>/", _organizers_only(registrations), name="registrations"),
            path("<id:pk>/export.csv", _organizers_only(export_csv), name="export"),
            path(
                "<id:pk>/registrations/<id:registration_pk>/",
                _organizers_only(registration_action),
                name="registration_action",
            ),
            path("<id:pk>/message/", _organizers_only(message), name="message"),
            path("<id:pk>/attendance/", _organizers_only(attendance), name="attendance"),
            path(
                "<id:pk>/attendance/<id:record_pk>/match/",
                _organizers_only(match_record),
                name="match_record",
            ),
            path("<id:pk>/follow-up/", _organizers_only(follow_up), name="follow_up"),
        ]


def _organizers_only(view):
    """Staff who organise no series get a 403 for every screen."""

    def wrapped(request, *args, **kwargs):
        if not services.managed_series(request.user).exists():
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
