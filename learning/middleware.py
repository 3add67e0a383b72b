from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from learning.timezones import zone_for_user


class UserPreferencesMiddleware:
    """Activate the viewer's time zone, and their profile language when they have not
    picked one explicitly with the language switcher."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        timezone.activate(zone_for_user(user, request=request))
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            profile = getattr(user, "profile", None)
            language = getattr(profile, "preferred_language", None)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ScopedAdminReportsMiddleware:
    """Wagtail's cross-cutting admin reports are for people who may see the whole site.

    Site history, aging pages, locked pages, page types usage and the workflow reports
    list objects of every region, series and course (with their titles, and a search over
    them). Trainers, webinar organizers and course editors see only their own scope
    elsewhere in the admin, so for them these reports answer 403 (and their menu entries
    are hidden, see ``learning.wagtail_hooks``). Administrators and unscoped editors keep
    them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from learning.admin_scope import is_cross_cutting_report, is_scoped

        match = request.resolver_match
        if match and is_cross_cutting_report(match.view_name) and is_scoped(request.user):
            raise PermissionDenied
        return None
