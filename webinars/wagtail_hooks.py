from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from webinars.admin_views import SpeakerViewSet, WebinarAdminViewSet
from webinars.panels import MyUpcomingWebinarsPanel, PastAttendancePanel, UpcomingWebinarsPanel
from webinars.reports.viewsets import WebinarReportViewSet

register_snippet(SpeakerViewSet)


@hooks.register("learning_demo_data")
def build_demo_webinars(context):
    # Imported by the load_demo_data command only: demo builders need factory-boy and
    # Faker, which web processes never load.
    from webinars.demo import build_demo_webinars

    build_demo_webinars(context)


@hooks.register("learning_demo_data")
def build_demo_webinar_translations(context):
    from webinars.demo_translations import build_demo_webinar_translations

    build_demo_webinar_translations(context)


@hooks.register("register_admin_viewset")
def register_webinar_admin():
    return WebinarAdminViewSet()


@hooks.register("register_admin_viewset")
def register_webinar_reports():
    return WebinarReportViewSet()


@hooks.register("learning_home_panels")
def upcoming_webinars_panel():
    return UpcomingWebinarsPanel


@hooks.register("learning_dashboard_panels")
def my_webinars_panels():
    return [MyUpcomingWebinarsPanel, PastAttendancePanel]


@hooks.register("learning_personal_data")
def webinar_personal_data():
    from webinars.privacy import WebinarPersonalData

    return WebinarPersonalData()


@hooks.register("learning_programme_summary")
def webinars_programme_summary():
    from webinars.reports.summary import WebinarSummary

    return WebinarSummary()


@hooks.register("construct_homepage_panels")
def add_admin_home_panel(request, panels):
    from webinars.admin_home import add_panel

    add_panel(request, panels)


@hooks.register("insert_editor_js")
def webinar_zone_js():
    return format_html('<script src="{}" defer></script>', static("webinars/admin/webinar_zone.js"))
