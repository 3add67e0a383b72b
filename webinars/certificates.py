"""Certificate rules of webinars (see ``learning.certificate_rules``), checked for each
attendee when the after-event emails go out, and again for each person whose attendance
is corrected afterwards (``webinars.services.attendance``)."""

from learning.certificate_rules import Award, CertificateRule, register
from learning.models import Certificate
from learning.translations import canonical, canonical_only
from webinars.models import Registration, WebinarPage

WEBINAR_ATTENDED = "webinar-attended"


@register
class WebinarAttended(CertificateRule):
    """Attended a webinar: an attendance certificate, issued by its series."""

    key = "webinar-attended"
    occasion = WEBINAR_ATTENDED

    def subject(self, user, *, webinar, series):
        return Certificate.Kind.WEBINAR, webinar

    def award(self, user, *, webinar, series):
        registration = (
            Registration.objects.filter(
                user=user, webinar=webinar, status=Registration.Status.CONFIRMED, attended=True
            )
            .only("attended_minutes")
            .first()
        )
        if registration is None:
            return None
        minutes = registration.attended_minutes
        return Award(
            kind=Certificate.Kind.WEBINAR,
            source=webinar,
            title=webinar.title,
            issuer=series.title if series else webinar.title,
            achieved_at=webinar.end,
            source_url=webinar.url or "",
            minutes_attended=minutes,
        )


@register
class SeriesAttended(CertificateRule):
    """Attended N sessions of a series, N set on the series page: a series certificate."""

    key = "series-attended"
    occasion = WEBINAR_ATTENDED

    def subject(self, user, *, webinar, series):
        if series is None or not getattr(series, "certificate_sessions_required", None):
            return None
        return Certificate.Kind.SERIES, canonical(series)

    def award(self, user, *, webinar, series):
        required = getattr(series, "certificate_sessions_required", None)
        if not required:
            return None
        # Registrations are stored against the canonical sessions of the canonical series.
        series = canonical(series)
        sessions = canonical_only(WebinarPage.objects.child_of(series))
        attended = Registration.objects.filter(
            user=user,
            attended=True,
            status=Registration.Status.CONFIRMED,
            webinar__in=sessions,
        ).count()
        if attended < required:
            return None
        return Award(
            kind=Certificate.Kind.SERIES,
            source=series,
            title=series.title,
            issuer=series.title,
            source_url=series.url or "",
            sessions_attended=attended,
            sessions_total=sessions.live().count(),
        )
