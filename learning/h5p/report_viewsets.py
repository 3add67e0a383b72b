"""Reports › H5P activities: per-content figures, per-question correctness and a CSV of
learners' progress. Needs the ``learning.view_activityprogress`` permission."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from learning.exports import csv_response
from learning.h5p import reports
from learning.models import H5PContent

REPORT_PERMISSION = "learning.view_activityprogress"


class ReportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class H5PReportIndexView(ReportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "learning/admin/h5p/report_index.html"
    page_title = gettext_lazy("H5P activities")
    header_icon = "form"
    paginate_by = 50
    report_url_name = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(reports.contents_with_figures(), self.paginate_by)
        context["page_obj"] = paginator.get_page(self.request.GET.get("p"))
        context["report_url_name"] = self.report_url_name
        return context


class H5PReportView(ReportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "learning/admin/h5p/report.html"
    header_icon = "form"
    learners_per_page = 100
    index_url_name = None
    csv_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.content = get_object_or_404(H5PContent, pk=kwargs["content_id"])

    def get_page_title(self):
        return _("H5P report: %(title)s") % {"title": self.content.title}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse(self.index_url_name), "label": _("H5P activities")},
            {"url": "", "label": self.content.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(reports.learner_rows(self.content), self.learners_per_page)
        context.update(
            content=self.content,
            summary=reports.summary(self.content),
            pages=list(reports.per_page(self.content)),
            questions=list(reports.per_question(self.content)),
            learners=paginator.get_page(self.request.GET.get("p")),
            csv_url=reverse(self.csv_url_name, args=[self.content.pk]),
        )
        return context


def _percent(value):
    return "" if value is None else round(value * 100)


def report_csv(request, content_id):
    """Learners' progress in one content, one row per learner and page; every cell is
    neutralised against spreadsheet formulas."""
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    content = get_object_or_404(H5PContent, pk=content_id)
    header = [
        _("Learner"),
        _("Email"),
        _("Page"),
        _("Attempts"),
        _("Completed"),
        _("Passed"),
        _("Best score (%)"),
        _("Last score (%)"),
        _("First completed (UTC)"),
        _("Version of the last attempt"),
    ]

    def yes_no(value):
        return "" if value is None else (_("yes") if value else _("no"))

    rows = (
        [
            getattr(getattr(row.user, "profile", None), "full_name", "")
            or row.user.get_full_name(),
            row.user.email,
            row.page.title,
            row.attempts,
            yes_no(row.completed),
            yes_no(row.success),
            _percent(row.best_score),
            _percent(row.last_score),
            row.completed_at.isoformat() if row.completed_at else "",
            row.last_version.number if row.last_version else "",
        ]
        for row in reports.learner_rows(content)
    )
    return csv_response(f"h5p-report-{content.pk}.csv", header, rows)


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


class H5PReportViewSet(ViewSet):
    name = "h5p_reports"
    url_prefix = "reports/h5p-activities"
    icon = "form"
    menu_icon = "form"
    menu_label = gettext_lazy("H5P activities")
    menu_hook = "register_reports_menu_item"
    menu_item_class = ReportMenuItem

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    def get_urlpatterns(self):
        index = H5PReportIndexView.as_view(report_url_name=self.get_url_name("report"))
        report = H5PReportView.as_view(
            index_url_name=self.get_url_name("index"),
            csv_url_name=self.get_url_name("csv"),
        )
        return [
            path("", index, name="index"),
            path("<id:content_id>/", report, name="report"),
            path("<id:content_id>/csv/", report_csv, name="csv"),
        ]


h5p_report_viewset = H5PReportViewSet()
