from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from learning.personal_page_cache import hole

# The default WAGTAIL_SITE_NAME, in the catalogue so that the header reads in the visitor's
# language; a site that names itself otherwise shows its own name (or its own catalogue's
# translation of it).
DEFAULT_SITE_NAME = gettext_noop("Capacity Building Platform")


def platform(request):
    context = {
        "site_name": gettext(settings.WAGTAIL_SITE_NAME),
        "current_time_zone": timezone.get_current_timezone_name(),
    }
    if getattr(request, "_personal_page_nonce", None):
        # A page rendered to be kept for its viewer holds a placeholder, not a token
        # (``{% csrf_token %}`` reads this): each response gets a fresh one.
        context["csrf_token"] = hole(request, "csrf")
    return context
