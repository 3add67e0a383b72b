"""Settings read by the webinars app, defaulted in one place.

Read them through ``webinar_settings`` so a site overrides any of them in its Django
settings and tests can use ``override_settings``.
"""

from django.conf import settings

DEFAULTS = {
    # The personal join link opens this many minutes before the start.
    "WEBINARS_JOIN_OPENS_MINUTES": 30,
}


class WebinarSettings:
    def __getattr__(self, name):
        try:
            default = DEFAULTS[name]
        except KeyError:
            raise AttributeError(f"Unknown webinars setting {name!r}") from None
        return getattr(settings, name, default)


webinar_settings = WebinarSettings()
