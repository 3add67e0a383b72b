from django.conf import settings
from django.utils import timezone


def platform(request):
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "current_time_zone": timezone.get_current_timezone_name(),
    }
