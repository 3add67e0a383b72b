"""Webinar series and sessions (Wagtail pages), speakers, registrations and attendance:
``pages`` and ``registrations``."""

import secrets


def new_token():
    """An unguessable token (join links, calendar feeds). Defined here, before the models
    that use it are imported: the migrations refer to it as ``webinars.models.new_token``."""
    return secrets.token_urlsafe(24)


from .pages import (  # noqa: E402
    Speaker,
    WebinarDocument,
    WebinarPage,
    WebinarSeriesPage,
    WebinarSpeaker,
)
from .registrations import (  # noqa: E402
    AttendanceImport,
    AttendanceRecord,
    CalendarFeed,
    Registration,
    RegistrationQuestion,
)

__all__ = [
    "AttendanceImport",
    "AttendanceRecord",
    "CalendarFeed",
    "Registration",
    "RegistrationQuestion",
    "Speaker",
    "WebinarDocument",
    "WebinarPage",
    "WebinarSeriesPage",
    "WebinarSpeaker",
    "new_token",
]
