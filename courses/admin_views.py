"""Course editors' screens in the Wagtail admin: enrolment requests to approve or reject,
and a report per course with a CSV export.

Every view starts from ``permissions.editable_courses(request.user)``: an editor
reaches only the courses whose pages they may edit (404 for the others)."""

from datetime import UTC

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import Button

from courses import permissions, reports, services
from courses.forms import DecisionForm, EnrolmentFilterForm
from courses.models import CoursePage, Enrolment
from learning.exports import csv_response
from learning.models import AuditEntry
from learning.privacy.services import record as audit
from learning.translations import canonical_only

PAGE_SIZE = 100


def _course(request, pk):
    return get_object_or_404(permissions.editable_courses(request.user), pk=pk)


def index(request):
    courses = canonical_only(permissions.editable_courses(request.user)).annotate(
        active=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ACTIVE)),
        pending=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.PENDING)),
        completed=Count("completions", distinct=True),
    )
    return TemplateResponse(
        request,
        "courses/admin/index.html",
        {"courses": courses.order_by("title"), "page_title": _("Course enrolments")},
    )


def enrolments(request, pk):
    course = _course(request, pk)
    filter_form = EnrolmentFilterForm(request.GET or None)
    queryset = filter_form.filter(
        Enrolment.objects.filter(course=course).select_related("user__profile", "decided_by")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "courses/admin/enrolments.html",
        {
            "course": course,
            "page": page,
            "filter_form": filter_form,
            "decision_form": DecisionForm(),
            "page_title": course.title,
            "query": request.GET.urlencode(),
        },
    )


@require_POST
def decide(request, pk, enrolment_pk):
    course = _course(request, pk)
    enrolment = get_object_or_404(Enrolment, course=course, pk=enrolment_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to reject the request."))
    else:
        approve = form.cleaned_data["decision"] == DecisionForm.APPROVE
        decide_enrolment = services.approve_enrolment if approve else services.reject_enrolment
        try:
            decide_enrolment(enrolment, user=request.user, note=form.cleaned_data["note"])
        except services.EnrolmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Request approved; the learner has been emailed.")
                if approve
                else _("Request rejected; the learner has been emailed."),
            )
    url = reverse("course_admin:enrolments", args=[course.pk])
    query = request.POST.get("query", "")
    return redirect(f"{url}?{query}" if query else url)


def report(request, pk):
    course = _course(request, pk)
    return TemplateResponse(
        request,
        "courses/admin/report.html",
        {
            "course": course,
            "report": reports.course_report(course),
            "page_title": _("Report: %(course)s") % {"course": course.title},
        },
    )


def export_csv(request, pk):
    course = _course(request, pk)
    header = [
        _("Name"),
        _("Email"),
        _("Country"),
        _("Status"),
        _("Requested (UTC)"),
        _("Enrolled (UTC)"),
        _("Lessons done"),
        _("Required lessons"),
        _("Progress (%)"),
        _("Completed (UTC)"),
        _("Days to complete"),
        _("Certificate code"),
    ]

    def utc(value):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value else ""

    rows = []
    for enrolment, done, total, completion in reports.learner_rows(course):
        profile = getattr(enrolment.user, "profile", None)
        rows.append(
            [
                getattr(profile, "full_name", "") or enrolment.user.get_full_name(),
                enrolment.user.email,
                getattr(profile, "country", "") or "",
                enrolment.get_status_display(),
                utc(enrolment.requested_at),
                utc(enrolment.enrolled_at),
                done,
                total,
                round(100 * done / total) if total else 0,
                utc(completion.completed_at) if completion else "",
                round(completion.duration.total_seconds() / 86400, 1) if completion else "",
                completion.certificate.code if completion and completion.certificate else "",
            ]
        )
    filename = f"course-{slugify(course.title)[:50] or course.pk}.csv"
    audit(request.user, AuditEntry.Action.EXPORT, summary=filename)
    return csv_response(filename, header, rows)


def course_page_buttons(page, user, view_name=None, next_url=None):
    """ "Enrolments" and "Report" in the page explorer's menu of a course page."""
    if page.specific_class is not CoursePage or not permissions.may_review_enrolments(user):
        return
    yield Button(
        _("Enrolments"),
        url=reverse("course_admin:enrolments", args=[page.pk]),
        icon_name="user",
        priority=80,
    )
    yield Button(
        _("Report"),
        url=reverse("course_admin:report", args=[page.pk]),
        icon_name="table",
        priority=81,
    )


class CourseEditorMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_review_enrolments(request.user)


def _course_editors_only(view):
    """Without the enrolment permission every screen is a 403."""

    def wrapped(request, *args, **kwargs):
        if not permissions.may_review_enrolments(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


class CourseAdminViewSet(ViewSet):
    name = "course_admin"
    url_prefix = "course-enrolments"
    icon = "user"
    menu_label = gettext_lazy("Course enrolments")
    menu_item_class = CourseEditorMenuItem
    add_to_admin_menu = True
    menu_order = 240

    def get_urlpatterns(self):
        return [
            path("", _course_editors_only(index), name="index"),
            path("<id:pk>/", _course_editors_only(enrolments), name="enrolments"),
            path(
                "<id:pk>/enrolments/<id:enrolment_pk>/decide/",
                _course_editors_only(decide),
                name="decide",
            ),
            path("<id:pk>/report/", _course_editors_only(report), name="report"),
            path("<id:pk>/export.csv", _course_editors_only(export_csv), name="export"),
        ]


def warn_required_activities_not_counted(request, page):
    """After saving a lesson: a required H5P activity does not decide completion while the
    lesson's rule is "the learner marks the lesson as done"; say so, with the fix."""
    from courses.models import CompletionRule, LessonPage
    from learning.h5p.access import page_activities

    if not isinstance(page, LessonPage) or page.completion_rule == CompletionRule.ACTIVITIES:
        return
    if any(activity.required for activity in page_activities(page)):
        messages.warning(
            request,
            _(
                "“%(title)s” has a required H5P activity, but its completion rule is “%(rule)s”, "
                "so the activity does not decide completion. To make it count, set the "
                "completion rule to “%(activities)s”."
            )
            % {
                "title": page.title,
                "rule": page.get_completion_rule_display(),
                "activities": CompletionRule.ACTIVITIES.label,
            },
        )
