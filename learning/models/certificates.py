import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# 20 characters of 32 (100 bits): unguessable, and still readable aloud or typed from paper
# (no 0/O, 1/I to confuse).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 20


def new_certificate_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 5] for i in range(0, CODE_LENGTH, 5))


class Certificate(models.Model):
    """What a learner achieved, described generically so courses and webinars share it."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course completion")
        WEBINAR = "webinar", _("Webinar attendance")
        SERIES = "series", _("Webinar series attendance")
        WORKSHOP = "workshop", _("Workshop participation")

    code = models.CharField(
        _("verification code"), max_length=32, unique=True, default=new_certificate_code
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("learner"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recipient_name = models.CharField(_("recipient name"), max_length=200)
    title = models.CharField(_("title"), max_length=255)
    issuer = models.CharField(_("issuer"), max_length=255)
    achieved_at = models.DateTimeField(_("achieved at"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    source_url = models.CharField(_("source URL"), max_length=500, blank=True)
    source_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("source type")
    )
    source_object_id = models.PositiveBigIntegerField(_("source id"))
    source = GenericForeignKey("source_content_type", "source_object_id")
    # What the wording of some kinds states: minutes of a webinar attended; sessions of a
    # series attended out of those it has.
    minutes_attended = models.PositiveIntegerField(_("minutes attended"), null=True, blank=True)
    sessions_attended = models.PositiveIntegerField(_("sessions attended"), null=True, blank=True)
    sessions_total = models.PositiveIntegerField(_("sessions in the series"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    # Revoked because an attendance correction took away what earned it (not by an
    # administrator): a later correction may then issue a new certificate. A revocation is
    # never undone (the status list's "revocation" purpose is permanent).
    revoked_by_correction = models.BooleanField(
        _("revoked by an attendance correction"), default=False
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # One valid certificate per achievement; revoked ones stay, each with its code.
            models.UniqueConstraint(
                fields=["user", "kind", "source_content_type", "source_object_id"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_valid_certificate_per_achievement",
            ),
        ]

    def __str__(self):
        return f"{self.title} – {self.recipient_name} ({self.code})"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def get_verification_path(self):
        return reverse("learning:certificate_verify", args=[self.code])
