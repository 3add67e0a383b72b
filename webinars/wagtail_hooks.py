from wagtail import hooks
from wagtail.snippets.models import register_snippet

from webinars.admin_views import SpeakerViewSet, WebinarAdminViewSet

register_snippet(SpeakerViewSet)


@hooks.register("register_admin_viewset")
def register_webinar_admin():
    return WebinarAdminViewSet()
