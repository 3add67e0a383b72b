from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from courses.permissions import edits_any_course
from courses.reports import views


class CourseEditorReportMenuItem(MenuItem):
    def is_shown(self, request):
        return edits_any_course(request.user)


class CourseReportViewSet(ViewSet):
    name = "course_reports"
    url_prefix = "reports/courses"
    icon = "table"
    menu_icon = "table"
    menu_label = gettext_lazy("Courses")
    menu_hook = "register_reports_menu_item"
    menu_item_class = CourseEditorReportMenuItem

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    def get_urlpatterns(self):
        return [
            path("", views.index, name="index"),
            path("learners/", views.learners, name="learners"),
        ]
