"""Organizers' screens in the Wagtail admin: registrations per webinar (filters, counts,
answers, by-country and by-region summary, CSV export), approval and waitlist actions,
messages to registrants, attendance import (upload, preview, apply) and after-event
emails.

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
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from learning.admin_scope import remembered
from learning.exports import csv_safe
from learning.models import AuditEntry
from learning.privacy.services import record as audit
from learning.timezones import zone_for_editor
from learning.translations import canonical_only
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
        canonical_only(services.managed_webinars(request.user))
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
            result = function(registration, request.user)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(success))
            if isinstance(result, services.AttendanceChange):
                _report_certificates(request, [result])
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
    """Upload a report: it is read, not applied; the preview comes next."""
    webinar = _webinar(request, pk)
    latest = AttendanceImport.objects.filter(webinar=webinar).first()
    form = AttendanceImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"platform": latest.platform if latest else webinar.platform},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["report"]
        try:
            report = services.read_attendance_report(
                webinar,
                request.user,
                platform=form.cleaned_data["platform"],
                file=upload,
                file_name=upload.name,
            )
        except services.RegistrationError as error:
            form.add_error("report", str(error))
        else:
            return redirect("webinar_admin:attendance_preview", pk=webinar.pk, import_pk=report.pk)
    report = AttendanceImport.objects.filter(webinar=webinar, applied_at__isnull=False).first()
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
            "platforms": queries.report_columns(),
            "page_title": _("Attendance"),
        },
    )


def attendance_preview(request, pk, import_pk):
    """What the uploaded report changes, for whom (attendance, certificates), with the rows
    matched by name to confirm; "Update the preview" re-reads the confirmations, "Apply"
    applies exactly what is shown. Works without JavaScript."""
    webinar = _webinar(request, pk)
    report = get_object_or_404(
        AttendanceImport, webinar=webinar, pk=import_pk, applied_at__isnull=True
    )
    name_matches = list(
        report.records.filter(matched_by=AttendanceRecord.MatchedBy.NAME).select_related(
            "registration__user__profile"
        )
    )
    rejected = []
    if request.method == "POST":
        confirmed = set(request.POST.getlist("confirm"))
        rejected = [record.pk for record in name_matches if str(record.pk) not in confirmed]
    try:
        if request.method == "POST" and request.POST.get("action") == "apply":
            changes = services.apply_attendance_import(
                report, request.user, rejected_name_matches=rejected
            )
            return TemplateResponse(
                request,
                "webinars/admin/attendance_applied.html",
                {
                    "webinar": webinar,
                    "report": report,
                    "changes": _change_rows(changes),
                    "can_follow_up": webinar.end <= timezone.now(),
                    "page_title": _("Attendance applied"),
                },
            )
        changes = services.attendance_changes(report, request.user, rejected_name_matches=rejected)
    except services.RegistrationError as error:
        messages.error(request, str(error))
        return redirect("webinar_admin:attendance", pk=webinar.pk)
    return TemplateResponse(
        request,
        "webinars/admin/attendance_preview.html",
        {
            "webinar": webinar,
            "report": report,
            "name_matches": [
                (record, record.pk not in rejected, services.registrant_name(record.registration))
                for record in name_matches
            ],
            "changes": _change_rows(changes),
            "matched_count": report.records.filter(registration__isnull=False).count(),
            "page_title": _("Attendance: preview"),
        },
    )


def _change_rows(changes):
    return [
        {
            "change": change,
            "name": services.registrant_name(change.registration),
            "email": change.registration.user.email,
        }
        for change in changes
    ]


@require_POST
def match_record(request, pk, record_pk):
    webinar = _webinar(request, pk)
    record = get_object_or_404(
        AttendanceRecord,
        pk=record_pk,
        attendance_import__webinar=webinar,
        attendance_import__applied_at__isnull=False,
    )
    form = MatchRecordForm(request.POST, webinar=webinar, prefix=f"r{record.pk}")
    if form.is_valid():
        registration = form.cleaned_data["registration"]
        changes = services.match_attendance_record(record, registration, request.user)
        messages.success(
            request,
            _("Row matched to %(name)s; attendance recomputed.")
            % {"name": services.registrant_name(registration) or registration.user.email},
        )
        _report_certificates(request, changes)
    else:
        messages.error(request, _("Choose a registrant to match this row to."))
    return redirect("webinar_admin:attendance", pk=webinar.pk)


def _report_certificates(request, changes):
    issued = sum(len(change.issued) for change in changes)
    revoked = sum(len(change.revoked) for change in changes)
    if issued or revoked:
        messages.info(
            request,
            _("Certificates issued: %(issued)s; revoked: %(revoked)s.")
            % {"issued": issued, "revoked": revoked},
        )
    blocked = sum(len(change.blocked) for change in changes)
    if blocked:
        messages.warning(
            request,
            _("Certificates revoked by an administrator, not re-issued: %(count)s.")
            % {"count": blocked},
        )


@require_POST
def follow_up(request, pk):
    """The after-event emails: to everyone not emailed yet, or again to the registrants
    chosen after an attendance correction."""
    webinar = _webinar(request, pk)
    chosen = request.POST.getlist("registration")
    registration_ids = [int(value) for value in chosen if value.isdigit()] if chosen else None
    try:
        count = services.send_follow_up(webinar, request.user, registration_ids=registration_ids)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("After-event emails are being sent to %(count)s people.") % {"count": count}
        )
    if registration_ids is not None:
        return redirect("webinar_admin:attendance", pk=webinar.pk)
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
        return remembered(
            request.user, "manages_series", lambda: services.managed_series(request.user).exists()
        )


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
                "<id:pk>/attendance/<id:import_pk>/preview/",
                _organizers_only(attendance_preview),
                name="attendance_preview",
            ),
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
