from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from courses.permissions import editable_courses
from courses.reports import views
from learning.admin_scope import remembered


class CourseEditorReportMenuItem(MenuItem):
    def is_shown(self, request):
        return remembered(
            request.user, "edits_courses", lambda: editable_courses(request.user).exists()
        )


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
        return [path("", views.index, name="index")]
