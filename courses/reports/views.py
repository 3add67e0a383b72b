"""Reports › Courses: the courses the filters select (course editors: theirs;
administrators: all), with charts, their data tables and every table as CSV and XLSX
(``?export=csv&table=<key>``), and the learners behind the figures."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrolment
from courses.permissions import editable_courses
from courses.reports import queries
from courses.reports.forms import CourseReportForm
from learning.models import AuditEntry
from learning.privacy.services import record as audit
from learning.reports.charts import bar_chart
from learning.reports.exports import FORMATS, TableExport
from learning.reports.geography import by_country_and_region, country_name
from learning.reports.tables import Link, Table
from learning.timezones import zone_for_user


def index(request):
    if not editable_courses(request.user).exists():
        raise PermissionDenied
    zone = zone_for_user(request.user, request=request)
    form = CourseReportForm(request.GET or None, user=request.user, zone=zone)
    if form.is_bound and not form.is_valid():
        # Filters that do not validate (a course the viewer does not edit, an unknown
        # country) show the form's errors and no figures, rather than everything.
        scope = queries.Scope(editable_courses(request.user).none())
    else:
        start, end = form.bounds()
        scope = queries.Scope(
            queries.courses_in_scope(
                request.user, course=form.value("course"), language=form.value("language") or ""
            ),
            start,
            end,
            form.value("country") or "",
        )
    export_format = request.GET.get("export")
    table_key = request.GET.get("table", "")
    if export_format in FORMATS and table_key == "people":
        return _people_export(request, scope, zone, export_format)

    headline, per_course = queries.figures(scope)
    tables = [_courses_table(per_course)]
    course = form.value("course")
    funnel = None
    if course is not None and scope.courses.exists():
        funnel = _funnel_chart(course, scope)
    questions = queries.questions(scope)
    tables.append(_questions_table(questions))
    charts = _charts(scope, zone, funnel, questions)

    if export_format in FORMATS:
        table = next((t for t in [*tables, *charts] if t.key == table_key), None)
        if table is None:
            raise Http404
        return TableExport(
            f"{_('Courses')} {table.title}", table.columns, table.export_rows()
        ).response(export_format)

    query = request.GET.copy()
    for key in ("export", "table"):
        query.pop(key, None)
    return TemplateResponse(
        request,
        "courses/reports/report.html",
        {
            "page_title": _("Course reports"),
            "header_icon": "table",
            "form": form,
            "zone": zone,
            "headline": headline,
            "tables": tables,
            "charts": charts,
            "funnel_hint": course is None,
            "export_url": "?" + query.urlencode(),
        },
    )


def _courses_table(per_course):
    return Table(
        "courses",
        _("Courses"),
        [
            _("Course"),
            _("Enrolments"),
            _("Of them unenrolled"),
            _("Of them completed"),
            _("Completion rate (%)"),
            _("Completions in the period"),
            _("Median days to complete"),
            _("Certificates issued"),
            _("Certificates revoked"),
        ],
        [
            [
                Link(row.course.title, reverse("course_admin:report", args=[row.course.pk])),
                row.enrolments,
                row.withdrawn,
                row.enrolled_and_completed,
                row.completion_rate,
                row.completions,
                row.median_days,
                row.certificates_issued,
                row.certificates_revoked,
            ]
            for row in per_course
        ],
    )


def _weeks(rows, zone):
    return [
        (timezone.localtime(week, zone).date() if timezone.is_aware(week) else week, n)
        for week, n in rows
    ]


def _funnel_chart(course, scope):
    started, steps = queries.funnel(course, scope)
    rows = [(_("Enrolled"), started, 0)]
    rows += [(f"{state.number}. {state.lesson.title}", count, drop) for state, count, drop in steps]
    return bar_chart(
        "funnel",
        _("Drop-off per lesson: %(course)s") % {"course": course.title},
        rows,
        [_("Step"), _("Learners"), _("Dropped since the step before")],
        max_bars=60,
    )


def _question_label(row):
    return f"{row['title']}: {row['question'] or row['sub_content_id']}"


def _questions_table(questions):
    return Table(
        "questions-detail",
        _("H5P questions: answers"),
        [_("Question"), _("Answers"), _("Correct answers"), _("Correct (%)"), _("Learners")],
        [
            [_question_label(row), row["answers"], row["correct"], row["share"], row["learners"]]
            for row in questions
        ],
    )


def _charts(scope, zone, funnel, questions):
    week_note = {"zone": zone.key}
    country_rows, region_rows = by_country_and_region(queries.by_country(scope))
    charts = [
        bar_chart(
            "enrolments-weeks",
            _("Enrolments per week (weeks starting on Monday, %(zone)s)") % week_note,
            _weeks(queries.per_week(queries.enrolments(scope), "enrolled_at", zone), zone),
            [_("Week"), _("Enrolments")],
            max_bars=60,
        ),
        bar_chart(
            "completions-weeks",
            _("Completions per week (weeks starting on Monday, %(zone)s)") % week_note,
            _weeks(queries.per_week(queries.completions(scope), "completed_at", zone), zone),
            [_("Week"), _("Completions")],
            max_bars=60,
        ),
    ]
    if funnel is not None:
        charts.append(funnel)
    charts += [
        bar_chart(
            "questions",
            _("H5P questions, hardest first: share of answers correct (%)"),
            [(_question_label(row), row["share"]) for row in questions],
            [_("Question"), _("Correct (%)")],
        ),
        bar_chart("regions", _("Learners by region"), region_rows, [_("Region"), _("Learners")]),
        bar_chart(
            "countries", _("Learners by country"), country_rows, [_("Country"), _("Learners")]
        ),
    ]
    return charts


def _people_export(request, scope, zone, export_format):
    statuses = dict(Enrolment.Status.choices)
    columns = [
        _("Course"),
        _("Name"),
        _("Email"),
        _("Country"),
        _("Status"),
        _("Enrolled at (%(zone)s)") % {"zone": zone.key},
        _("Completed at (%(zone)s)") % {"zone": zone.key},
    ]

    def local(moment):
        return timezone.localtime(moment, zone).replace(tzinfo=None) if moment else None

    rows = (
        [
            title,
            name,
            email,
            country_name(code) if code else "",
            statuses.get(status, status),
            local(enrolled),
            local(completed),
        ]
        for title, name, email, code, status, enrolled, completed in queries.people(scope).iterator(
            chunk_size=2000
        )
    )
    title = f"{_('Courses')} {_('learners')}"
    audit(request.user, AuditEntry.Action.EXPORT, summary=title)
    return TableExport(title, columns, rows).response(export_format)
