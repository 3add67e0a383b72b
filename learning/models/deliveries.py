from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskDelivery(models.Model):
    """One side effect of a background task (an email, a forwarded statement), keyed so a
    task run again (a retry, a task recovered from a dead worker, "Run again" in the
    admin) does not repeat what an earlier run already did (``learning.delivery``)."""

    class Status(models.TextChoices):
        STARTED = "started", _("Started")
        RETRYING = "retrying", _("Waiting to retry")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("key"), max_length=64, unique=True)
    task_path = models.CharField(_("task"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.STARTED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("first started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("task delivery")
        verbose_name_plural = _("task deliveries")
        indexes = [models.Index(fields=["status", "started_at"], name="learning_delivery_status")]

    def __str__(self):
        return f"{self.task_path} {self.key} ({self.status})"
