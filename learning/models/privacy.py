from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """A staff action on someone's personal data, kept for administrators.

    ``summary`` names what was acted on (a webinar, a course, a certificate), never the
    person; ``subject`` points to the person while their account exists and is erased
    with it (an erased account's entries keep only the action and the summary)."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved a registration or enrolment")
        REJECT = "reject", _("Rejected a registration or enrolment")
        CANCEL = "cancel", _("Cancelled a registration")
        IMPORT_ATTENDANCE = "import_attendance", _("Imported attendance")
        EXPORT = "export", _("Exported personal data")
        ERASE = "erase", _("Erased an account")
        REVOKE = "revoke", _("Revoked a certificate")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose data"),
    )
    summary = models.CharField(_("what"), max_length=255, blank=True)

    # Entries are not content: Wagtail need not index what they point to.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-at"]
        default_permissions = ("view",)
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.get_action_display()} · {self.summary}"
