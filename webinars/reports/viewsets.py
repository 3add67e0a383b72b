from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from webinars.reports import views
from webinars.services import manages_any_series


class OrganizerReportMenuItem(MenuItem):
    def is_shown(self, request):
        return manages_any_series(request.user)


class WebinarReportViewSet(ViewSet):
    name = "webinar_reports"
    url_prefix = "reports/webinars"
    icon = "group"
    menu_icon = "group"
    menu_label = gettext_lazy("Webinars")
    menu_hook = "register_reports_menu_item"
    menu_item_class = OrganizerReportMenuItem

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    def get_urlpatterns(self):
        return [
            path("", views.index, name="index"),
            path("<id:pk>/", views.session, name="session"),
        ]
