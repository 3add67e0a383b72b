"""Reports › Courses: the courses the filters select (course editors: theirs;
administrators: all), with charts, their data tables and every table as CSV and XLSX
(``?export=csv&table=<key>``), and the learners behind the figures."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import syllabus
from courses.models import Enrolment
from courses.permissions import editable_courses, edits_any_course
from courses.reports import queries
from courses.reports.forms import CourseReportForm
from learning.reports.charts import bar_chart
from learning.reports.exports import FORMATS, TableExport
from learning.reports.geography import by_country_and_region, country_name
from learning.reports.people import export_response, people_response
from learning.reports.tables import Link, Table
from learning.reports.weeks import every_week
from learning.timezones import zone_for_user


def _scope(user, form):
    if form.is_bound and not form.is_valid():
        # Filters that do not validate (a course the viewer does not edit, an unknown
        # country) show the form's errors and no figures, rather than everything.
        return queries.Scope(editable_courses(user).none())
    start, end = form.bounds()
    return queries.Scope(
        queries.courses_in_scope(
            user, course=form.value("course"), language=form.value("language") or ""
        ),
        start,
        end,
        form.value("country") or "",
    )


def _filters(request):
    """The report's filters, without what only picks a table, a figure or a page."""
    query = request.GET.copy()
    for key in ("export", "table", "figure", "lesson", "p"):
        query.pop(key, None)
    return query


class Drill:
    """Links from a figure down to the learners behind it, under the report's filters."""

    def __init__(self, request):
        self.filters = _filters(request)
        self.url = reverse("course_reports:learners")

    def __call__(self, value, figure, course=None, lesson=None):
        query = self.filters.copy()
        query["figure"] = figure
        if course is not None:
            query["course"] = course.pk
        if lesson is not None:
            query["lesson"] = lesson.pk
        return Link(value, f"{self.url}?{query.urlencode()}")


def index(request):
    if not edits_any_course(request.user):
        raise PermissionDenied
    zone = zone_for_user(request.user, request=request)
    form = CourseReportForm(request.GET or None, user=request.user, zone=zone)
    scope = _scope(request.user, form)
    drill = Drill(request)
    export_format = request.GET.get("export")
    table_key = request.GET.get("table", "")
    if export_format in FORMATS and table_key == "people":
        return _people_export(request, scope, zone, export_format)

    headline, per_course = queries.figures(scope)
    tables = [_courses_table(per_course, drill)]
    course = form.value("course")
    funnel = None
    if course is not None and scope.courses.exists():
        funnel = _funnel_chart(course, scope, drill)
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

    query = _filters(request)
    return TemplateResponse(
        request,
        "courses/reports/report.html",
        {
            "page_title": _("Course reports"),
            "header_icon": "table",
            "form": form,
            "zone": zone,
            "headline": headline,
            "headline_links": {
                "enrolments": drill(headline.enrolments, "enrolments").url,
                "completions": drill(headline.completions, "completions").url,
            },
            "tables": tables,
            "charts": charts,
            "funnel_hint": course is None,
            "export_url": "?" + query.urlencode(),
        },
    )


def _courses_table(per_course, drill):
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
                drill(row.enrolments, "enrolments", row.course),
                drill(row.withdrawn, "withdrawn", row.course),
                drill(row.enrolled_and_completed, "enrolled_completed", row.course),
                row.completion_rate,
                drill(row.completions, "completions", row.course),
                row.median_days,
                row.certificates_issued,
                row.certificates_revoked,
            ]
            for row in per_course
        ],
    )


def _funnel_chart(course, scope, drill):
    started, steps = queries.funnel(course, scope)
    rows = [(_("Enrolled"), drill(started, "enrolments", course), 0)]
    rows += [
        (
            f"{state.number}. {state.lesson.title}",
            drill(count, "lesson", course, state.lesson),
            drill(drop, "stopped", course, state.lesson),
        )
        for state, count, drop in steps
    ]
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
            every_week(
                queries.per_week(queries.enrolments(scope), "enrolled_at", zone),
                zone,
                scope.start,
                scope.end,
            ),
            [_("Week"), _("Enrolments")],
            max_bars=60,
        ),
        bar_chart(
            "completions-weeks",
            _("Completions per week (weeks starting on Monday, %(zone)s)") % week_note,
            every_week(
                queries.per_week(queries.completions(scope), "completed_at", zone),
                zone,
                scope.start,
                scope.end,
            ),
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


def _people_columns(zone):
    return [
        _("Course"),
        _("Name"),
        _("Email"),
        _("Country"),
        _("Status"),
        _("Enrolled at (%(zone)s)") % {"zone": zone.key},
        _("Completed at (%(zone)s)") % {"zone": zone.key},
    ]


def _people_rows(rows, zone):
    statuses = dict(Enrolment.Status.choices)

    def local(moment):
        return timezone.localtime(moment, zone).replace(tzinfo=None) if moment else None

    return (
        [
            title,
            name,
            email,
            country_name(code) if code else "",
            statuses.get(status, status),
            local(enrolled),
            local(completed),
        ]
        for title, name, email, code, status, enrolled, completed in rows
    )


def _people_export(request, scope, zone, export_format):
    rows = _people_rows(queries.people(scope).iterator(chunk_size=2000), zone)
    title = f"{_('Courses')} {_('learners')}"
    return export_response(request, title, _people_columns(zone), rows, export_format)


def _figure_title(figure, course, lesson):
    titles = {
        "enrolments": _("Enrolled in the period"),
        "withdrawn": _("Enrolled in the period, then unenrolled"),
        "enrolled_completed": _("Enrolled in the period and completed the course"),
        "completions": _("Completed the course in the period"),
    }
    if figure == "lesson":
        return _("Enrolled in the period and completed “%(lesson)s”") % {"lesson": lesson.title}
    if figure == "stopped":
        return _("Enrolled in the period, completed the step before “%(lesson)s” but not it") % {
            "lesson": lesson.title
        }
    return titles[figure]


def learners(request):
    """The learners behind one figure of the report (``?figure=`` one of
    ``queries.FIGURES``, under the report's own filters): a page of them, and all of them
    as CSV or XLSX. A course the viewer does not edit, or a lesson not in the course, is a
    404."""
    if not edits_any_course(request.user):
        raise PermissionDenied
    zone = zone_for_user(request.user, request=request)
    form = CourseReportForm(request.GET, user=request.user, zone=zone)
    figure = request.GET.get("figure")
    if not form.is_valid() or figure not in queries.FIGURES:
        raise Http404
    course = form.value("course")
    lesson = previous = None
    if figure in ("lesson", "stopped"):
        if course is None:
            raise Http404
        steps = [state.lesson for state in syllabus.course_state(course, None).lessons]
        index = next(
            (i for i, step in enumerate(steps) if str(step.pk) == request.GET.get("lesson")),
            None,
        )
        if index is None:
            raise Http404
        lesson, previous = steps[index], steps[index - 1] if index else None
    scope = _scope(request.user, form)
    enrolments = queries.learners_behind(scope, figure, lesson=lesson, previous=previous)
    title = _figure_title(figure, course, lesson)
    return people_response(
        request,
        key="learners",
        title=title,
        export_title=f"{_('Courses')} {title}",
        columns=_people_columns(zone),
        rows=queries.people(scope, enrolments),
        cells=lambda rows: _people_rows(rows, zone),
        context={
            "header_icon": "table",
            "subtitle": course.title if course else _("All your courses"),
            "zone": zone,
            "back_url": f"{reverse('course_reports:index')}?{_filters(request).urlencode()}",
            "back_label": _("Back to the course report"),
        },
    )
