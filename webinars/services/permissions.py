"""Who may manage which webinars: the organizers of a series manage its sessions;
superusers manage every one."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from learning.admin_scope import remembered
from webinars.models import WebinarPage, WebinarSeriesPage


def managed_series(user):
    """The series whose sessions ``user`` may manage."""
    series = WebinarSeriesPage.objects.all()
    if user.is_superuser:
        return series
    return series.filter(organizers=user)


def manages_any_series(user):
    """Is ``user`` an organizer of at least one series (or a superuser with a series to
    manage)? Asked once per request: the admin menu, home panels and reports share it."""
    if user is None or not user.is_authenticated:
        return False
    return remembered(user, "manages_series", lambda: managed_series(user).exists())


def managed_webinars(user):
    webinars = WebinarPage.objects.all()
    if user.is_superuser:
        return webinars
    series_paths = list(managed_series(user).values_list("path", flat=True))
    if not series_paths:
        return webinars.none()
    query = Q()
    for path in series_paths:
        query |= Q(path__startswith=path)
    return webinars.filter(query, depth__gt=1)


def can_manage(user, webinar):
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return WebinarSeriesPage.objects.filter(
        organizers=user, path=webinar.path[: -webinar.steplen]
    ).exists()


def require_manager(user, webinar):
    if not can_manage(user, webinar):
        raise PermissionDenied
