"""Certificate rules of webinars (see ``learning.certificate_rules``), checked for each
attendee when the after-event emails go out."""

from learning.certificate_rules import Award, CertificateRule, register
from learning.models import Certificate
from webinars.models import Registration, WebinarPage

WEBINAR_ATTENDED = "webinar-attended"


@register
class WebinarAttended(CertificateRule):
    """Attended a webinar: an attendance certificate, issued by its series."""

    key = "webinar-attended"
    occasion = WEBINAR_ATTENDED

    def award(self, user, *, webinar, series):
        minutes = (
            Registration.objects.filter(user=user, webinar=webinar)
            .values_list("attended_minutes", flat=True)
            .first()
        )
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

    def award(self, user, *, webinar, series):
        required = getattr(series, "certificate_sessions_required", None)
        if not required:
            return None
        attended = Registration.objects.filter(
            user=user,
            attended=True,
            status=Registration.Status.CONFIRMED,
            webinar__in=WebinarPage.objects.child_of(series),
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
            sessions_total=WebinarPage.objects.child_of(series).live().count(),
        )
