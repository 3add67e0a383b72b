from django.conf import settings
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
