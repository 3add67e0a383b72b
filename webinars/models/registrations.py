"""Registrations for webinar sessions (with their questions), calendar feeds and
imported attendance reports."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from . import new_token
from .pages import WebinarPage


class RegistrationQuestion(Orderable):
    """A question asked on the registration form of one webinar."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")

    page = ParentalKey(WebinarPage, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("One per line, for single and multiple choice.")
    )
    required = models.BooleanField(_("required"), default=False)
    help_text = models.CharField(_("help text"), max_length=255, blank=True)

    panels = [
        FieldPanel("label"),
        FieldPanel("kind"),
        FieldPanel("choices"),
        FieldPanel("required"),
        FieldPanel("help_text"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self):
        return self.label

    @property
    def key(self):
        # Answers are keyed by the question's id, so renaming a question keeps its answers.
        return f"q{self.pk}"

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.kind != self.Kind.TEXT and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})


class Registration(models.Model):
    """A person's seat (or place on the waitlist) at one webinar."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        PENDING = "pending", _("Pending approval")
        CANCELLED = "cancelled", _("Cancelled")

    class AttendanceSource(models.TextChoices):
        IMPORT = "import", _("Imported report")
        MANUAL = "manual", _("Marked by an organizer")

    webinar = models.ForeignKey(
        WebinarPage,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("webinar"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webinar_registrations",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    country = CountryField(_("country"), blank=True)
    token = models.CharField(_("join token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    # When the registration last entered its status: the waitlist is served in this order.
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    reminder_24h_sent_at = models.DateTimeField(_("24-hour reminder sent"), null=True, blank=True)
    reminder_1h_sent_at = models.DateTimeField(_("1-hour reminder sent"), null=True, blank=True)
    follow_up_sent_at = models.DateTimeField(_("after-event email sent"), null=True, blank=True)
    join_clicks = models.PositiveIntegerField(_("join clicks"), default=0)
    first_joined_at = models.DateTimeField(_("first clicked join"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attended_minutes = models.PositiveIntegerField(_("minutes attended"), null=True, blank=True)
    attendance_source = models.CharField(
        _("attendance from"), max_length=10, choices=AttendanceSource.choices, blank=True
    )

    class Meta:
        ordering = ["status_changed_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["webinar", "user"], name="one_registration_per_user"),
        ]
        indexes = [models.Index(fields=["webinar", "status", "status_changed_at"])]

    def __str__(self):
        return f"{self.user} – {self.webinar} ({self.get_status_display()})"

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED


class CalendarFeed(models.Model):
    """The secret address of a person's private feed of their webinar registrations."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webinar_calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)


class AttendanceImport(models.Model):
    """One uploaded attendance report of a webinar's platform."""

    webinar = models.ForeignKey(
        WebinarPage,
        on_delete=models.CASCADE,
        related_name="attendance_imports",
        verbose_name=_("webinar"),
    )
    platform = models.CharField(_("platform"), max_length=20, choices=WebinarPage.Platform.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # Empty while the organizer previews the import; set when they apply it.
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")

    def __str__(self):
        return f"{self.webinar} – {self.file_name}"


class AttendanceRecord(models.Model):
    """One person's total presence according to an import (their rows summed)."""

    class MatchedBy(models.TextChoices):
        EMAIL = "email", _("email")
        NAME = "name", _("name")
        ORGANIZER = "organizer", _("organizer")

    attendance_import = models.ForeignKey(
        AttendanceImport,
        on_delete=models.CASCADE,
        related_name="records",
        verbose_name=_("import"),
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance_records",
        verbose_name=_("registration"),
    )
    matched_by = models.CharField(
        _("matched by"), max_length=10, choices=MatchedBy.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)
    minutes = models.PositiveIntegerField(_("minutes"))
    sessions = models.PositiveIntegerField(_("rows in the report"), default=1)
    first_join = models.DateTimeField(_("first join"), null=True, blank=True)
    last_leave = models.DateTimeField(_("last leave"), null=True, blank=True)

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")

    def __str__(self):
        return f"{self.name or self.email}: {self.minutes} min"
