"""Domain rules of the shared learning core: accounts and certificates (plain functions,
one transaction each). Callers write ``from learning import services`` and
``services.issue_certificate(...)``."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import Certificate, Profile
from learning.signals import certificate_issued

LEARNERS_GROUP = "Learners"


@transaction.atomic
def save_profile(user, *, full_name, country="", preferred_language="en", time_zone=""):
    """Create or update ``user``'s profile; the user's first/last name follow the full name
    so the Wagtail admin shows people by name."""
    profile, _ = Profile.objects.update_or_create(
        user=user,
        defaults={
            "full_name": full_name.strip(),
            "country": country,
            "preferred_language": preferred_language,
            "time_zone": time_zone,
        },
    )
    first, _, last = profile.full_name.partition(" ")
    user.first_name, user.last_name = first[:150], last[:150]
    user.save(update_fields=["first_name", "last_name"])
    return profile


def add_to_learners(user):
    group, _ = Group.objects.get_or_create(name=LEARNERS_GROUP)
    user.groups.add(group)


# --- certificates ----------------------------------------------------------------------


class CertificateError(Exception):
    """A certificate cannot be issued or changed; the message is shown to the user."""


def issue_certificate(
    *,
    user,
    kind,
    source,
    title,
    issuer,
    achieved_at=None,
    source_url="",
    minutes_attended=None,
    sessions_attended=None,
    sessions_total=None,
    reissue=False,
):
    """Issue the certificate for ``user``'s achievement on ``source`` (a course, a webinar,
    a series...), or return the one already issued: one valid certificate per achievement,
    even when two requests race; a revoked one is returned as it is (revocations are never
    undone). ``reissue``: a revoked one does not count, a new certificate (new code, new
    place in the status list) is issued unless a valid one exists; only
    ``certificate_rules.reconcile`` does this, after an attendance correction.
    ``certificate_issued`` is sent after commit for new ones. ``minutes_attended`` (a
    webinar) and ``sessions_attended`` of ``sessions_total`` (a series) are printed in the
    certificate's wording when given."""
    content_type = ContentType.objects.get_for_model(source)
    lookup = {
        "user": user,
        "kind": kind,
        "source_content_type": content_type,
        "source_object_id": source.pk,
    }
    if reissue:
        existing = Certificate.objects.filter(**lookup, revoked_at__isnull=True).first()
    else:
        existing = latest_certificate(**lookup)
    if existing:
        return existing
    profile = getattr(user, "profile", None)
    recipient_name = getattr(profile, "full_name", "") or user.get_full_name() or user.email
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                **lookup,
                recipient_name=recipient_name,
                title=title,
                issuer=issuer,
                achieved_at=achieved_at or timezone.now(),
                source_url=source_url,
                minutes_attended=minutes_attended,
                sessions_attended=sessions_attended,
                sessions_total=sessions_total,
            )
    except IntegrityError:
        return Certificate.objects.get(**lookup, revoked_at__isnull=True)
    transaction.on_commit(
        lambda: certificate_issued.send(sender=Certificate, certificate=certificate)
    )
    return certificate


def latest_certificate(**lookup):
    """The certificate of an achievement (``user``, ``kind``, ``source_content_type``,
    ``source_object_id``): the valid one, else the latest revoked one; None if none."""
    return (
        Certificate.objects.filter(**lookup)
        .order_by(F("revoked_at").asc(nulls_first=True), "-pk")
        .first()
    )


@transaction.atomic
def revoke_certificate(certificate, *, reason, user, authorized=False, by_correction=False):
    """Revoke a certificate for good (a revocation is never undone); the public
    verification page then says so, with ``reason``. ``authorized``: the caller has checked
    that ``user`` may (an organizer correcting the attendance their certificates follow);
    otherwise the certificate permission decides. ``by_correction``: an attendance
    correction revokes it, and a later correction may issue a new one; an administrator's
    revocation (the default) blocks that."""
    if not authorized and not user.has_perm("learning.change_certificate"):
        raise PermissionDenied
    if not reason.strip():
        raise CertificateError(_("Give the reason for revoking this certificate."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()
        certificate.revoked_by = user
        certificate.revoked_by_correction = by_correction
        certificate.save(
            update_fields=["revoked_at", "revoked_reason", "revoked_by", "revoked_by_correction"]
        )
        from learning.privacy.services import record

        record(user, "revoke", subject=certificate.user, summary=certificate.code)
    return certificate
