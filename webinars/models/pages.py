"""Webinar series and sessions (Wagtail pages) and the speakers they present."""

import zoneinfo
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from learning import page_cache
from learning.models.accounts import time_zone_choices
from learning.timezones import parse_zone, zone_for_editor, zone_for_user
from webinars.conf import webinar_settings


class Speaker(models.Model):
    """A speaker or moderator; a snippet reused across sessions."""

    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    country = CountryField(_("country"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    bio = RichTextField(_("biography"), blank=True, features=["bold", "italic", "link"])

    panels = [
        FieldPanel("name"),
        FieldPanel("affiliation"),
        FieldPanel("country"),
        FieldPanel("photo"),
        FieldPanel("bio"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


class WebinarSeriesPage(Page):
    """A series of webinars (e.g. KM4B): its sessions are its child pages."""

    intro = RichTextField(_("description"), blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("The languages the sessions are given in, e.g. “English, French”."),
    )
    organizers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organized_webinar_series",
        verbose_name=_("organizers"),
        help_text=_("Who may manage registrations and attendance of this series' sessions."),
    )
    certificate_sessions_required = models.PositiveSmallIntegerField(
        _("sessions required for the series certificate"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A participant who attended at least this many sessions of the series receives "
            "a series certificate. Empty: no series certificate."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("languages"),
        FieldPanel("certificate_sessions_required"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("organizers")]
    parent_page_types = ["learning.HomePage"]
    subpage_types = ["webinars.WebinarPage"]

    class Meta:
        verbose_name = _("webinar series")
        verbose_name_plural = _("webinar series")

    def sessions(self):
        return WebinarPage.objects.child_of(self).live().order_by("start")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        sessions = list(self.sessions().select_related("moderator"))
        context["upcoming_sessions"] = [s for s in sessions if s.end >= now]
        context["past_sessions"] = [s for s in reversed(sessions) if s.end < now]
        return context


class EventZoneDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in the event's own zone, whichever zone the admin
    has activated for the editor."""

    def __init__(self, *args, zone, **kwargs):
        self.zone = zone
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        with timezone.override(self.zone):
            return super().prepare_value(value)

    def to_python(self, value):
        # A local time that does not exist (the spring-forward gap) or happens twice is
        # refused with Django's message naming the zone, never guessed.
        with timezone.override(self.zone):
            return super().to_python(value)


class WebinarPageForm(WagtailAdminPageForm):
    """Start, end and the registration window are typed in the webinar's home time zone
    (the one the form posts, else the saved one; for a new webinar, the organizer's own),
    named beside the fields.

    Wagtail's autosave keeps a draft of an "Add webinar" form left half-way; the next
    attempt with the same title then meets "slug already in use". Then the error names
    that never-published draft and links to continuing or deleting it."""

    ZONED_FIELDS = ("start", "end", "registration_opens_at", "registration_closes_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "time_zone" not in self.fields:
            return
        if not self.instance.pk and not self.is_bound and self.for_user is not None:
            self.initial["time_zone"] = zone_for_editor(self.for_user).key
        posted = self.data.get(self.add_prefix("time_zone")) if self.is_bound else None
        zone = (
            parse_zone(posted)
            or parse_zone(self.initial.get("time_zone"))
            or zoneinfo.ZoneInfo("UTC")
        )
        zone_note = format_html(
            '{} <strong data-webinar-zone="">{}</strong>',
            # Translators: followed by the zone's name, e.g. "Europe/Paris".
            _("In the webinar's home time zone:"),
            zone.key.replace("_", " "),
        )
        for name in self.ZONED_FIELDS:
            if name not in self.fields:
                continue
            field = self.fields[name]
            self.fields[name] = EventZoneDateTimeField(
                zone=zone,
                required=field.required,
                label=field.label,
                widget=field.widget,
                help_text=(
                    format_html("{} {}", field.help_text, zone_note)
                    if field.help_text
                    else zone_note
                ),
            )

    def clean(self):
        cleaned_data = super().clean()
        if "slug" in self.errors and self.parent_page is not None:
            draft = (
                self.parent_page.get_children()
                .filter(
                    slug=self.data.get(self.add_prefix("slug")),
                    live=False,
                    first_published_at__isnull=True,
                )
                .exclude(pk=self.instance.pk)
                .first()
            )
            if draft is not None:
                self.errors["slug"] = self.error_class(
                    [
                        format_html(
                            '{} <a href="{}">{}</a> · <a href="{}">{}</a>',
                            _(
                                "An unpublished draft, “%(title)s”, already uses this slug "
                                "(perhaps saved automatically from an earlier attempt). "
                                "Continue that draft, delete it, or change the slug."
                            )
                            % {"title": draft.title},
                            reverse("wagtailadmin_pages:edit", args=[draft.pk]),
                            _("Continue the draft"),
                            reverse("wagtailadmin_pages:delete", args=[draft.pk]),
                            _("Delete the draft"),
                        )
                    ]
                )
        return cleaned_data


class WebinarPage(Page):
    """One webinar session. ``start``/``end`` are stored in UTC; ``time_zone`` is the
    event's home zone, shown to visitors whose own zone is unknown."""

    class Platform(models.TextChoices):
        ZOOM = "zoom", _("Zoom")
        BIGBLUEBUTTON = "bigbluebutton", _("BigBlueButton")
        TEAMS = "teams", _("Microsoft Teams")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        FINISHED = "finished", _("Finished")

    abstract = RichTextField(_("abstract"), blank=True)
    moderator = models.ForeignKey(
        Speaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("home time zone"),
        max_length=64,
        choices=time_zone_choices,
        default="UTC",
        help_text=_("Shown to visitors whose own time zone is not known."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    platform = models.CharField(
        _("platform"), max_length=20, choices=Platform.choices, default=Platform.ZOOM
    )
    join_url = models.URLField(
        _("join URL"),
        max_length=500,
        blank=True,
        help_text=_(
            "Secret: only confirmed registrants reach it, through their personal join link."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: unlimited seats.")
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Empty: open now.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: at the start.")
    )
    approval_required = models.BooleanField(
        _("approval required"),
        default=False,
        help_text=_("Registrations wait for an organizer's approval."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance threshold (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A participant attended if present for at least this share of the event."),
    )
    recording_url = models.URLField(_("recording URL"), max_length=500, blank=True)
    summary = RichTextField(_("summary"), blank=True)
    # Bumped by every reschedule: the iCalendar SEQUENCE, and the generation of the
    # scheduled reminders (reminders of an older generation do nothing).
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    follow_up_sent_at = models.DateTimeField(
        _("after-event emails sent at"), null=True, blank=True, editable=False
    )
    # What registrants were last told (times, status), to notice a reschedule or a
    # cancellation when the page is published.
    announced_start = models.DateTimeField(null=True, editable=False)
    announced_end = models.DateTimeField(null=True, editable=False)
    announced_status = models.CharField(max_length=20, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("abstract"),
        MultiFieldPanel(
            [
                FieldPanel("time_zone"),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("language"),
                FieldPanel("status"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [FieldPanel("moderator"), InlinePanel("speaker_links", label=_("Speakers"))],
            heading=_("Who"),
        ),
        MultiFieldPanel(
            [FieldPanel("platform"), FieldPanel("join_url")],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]
                ),
                FieldPanel("approval_required"),
                InlinePanel("questions", label=_("Registration questions")),
            ],
            heading=_("Registration"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("attendance_threshold"),
                FieldPanel("recording_url"),
                InlinePanel("documents", label=_("Slides and documents")),
                FieldPanel("summary"),
            ],
            heading=_("After the event"),
        ),
    ]
    parent_page_types = ["webinars.WebinarSeriesPage"]
    subpage_types = []
    RECORDED_FACTS = (
        "sequence",
        "follow_up_sent_at",
        "announced_start",
        "announced_end",
        "announced_status",
    )

    base_form_class = WebinarPageForm

    class Meta:
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            raise ValidationError(
                {"registration_closes_at": _("Registration must close after it opens.")}
            )

    def with_content_json(self, content):
        # Publishing a revision must not roll back the calendar sequence, what registrants
        # were told, or that after-event emails went out: those are facts recorded by the
        # services, not editable content. Read from the database: ``self`` may be stale.
        page = super().with_content_json(content)
        facts = (
            WebinarPage.objects.filter(pk=self.pk).values(*self.RECORDED_FACTS).first()
            if self.pk
            else None
        )
        for name in self.RECORDED_FACTS:
            setattr(page, name, facts[name] if facts else getattr(self, name))
        return page

    @property
    def zone(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def series(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    @property
    def duration_minutes(self):
        return max(1, round((self.end - self.start).total_seconds() / 60))

    @property
    def registration_closes(self):
        return self.registration_closes_at or self.start

    def registration_is_open(self, now=None):
        now = now or timezone.now()
        if self.status != self.Status.SCHEDULED:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return now < self.registration_closes

    @property
    def join_opens_at(self):
        return self.start - timedelta(minutes=webinar_settings.WEBINARS_JOIN_OPENS_MINUTES)

    @property
    def is_past(self):
        return self.end < timezone.now()

    def next_change_by_clock(self, now=None):
        """The next moment this page changes with no edit: registration opens or closes,
        joining opens, the webinar starts or ends. ``None`` once it has ended."""
        now = now or timezone.now()
        moments = [
            self.registration_opens_at,
            self.registration_closes,
            self.join_opens_at,
            self.start,
            self.end,
        ]
        return min((moment for moment in moments if moment and moment > now), default=None)

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated:
            # A registrant's page carries their personal join link: no HTTP cache may keep
            # it (the site's own copy for the viewer holds a placeholder instead).
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context(self, request, *args, **kwargs):
        from webinars import forms, queries

        context = super().get_context(request, *args, **kwargs)
        page_cache.changes_at(request, self.next_change_by_clock())
        # Visitors whose zone we do not know see the event's own zone (named on the page).
        timezone.activate(zone_for_user(request.user, fallback=self.zone, request=request))
        state = queries.registration_state(self, request.user)
        context["registration_state"] = state
        if state.can_register:  # the only case the page shows the form (its questions: a query)
            context.setdefault("form", forms.RegistrationForm(webinar=self, prefix="registration"))
        context["speakers"] = [
            link.speaker for link in self.speaker_links.select_related("speaker__photo")
        ]
        context["documents"] = self.documents.select_related("document")
        return context


class WebinarSpeaker(Orderable):
    page = ParentalKey(WebinarPage, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="webinar_links", verbose_name=_("speaker")
    )

    panels = [FieldPanel("speaker")]

    class Meta(Orderable.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")


class WebinarDocument(Orderable):
    page = ParentalKey(WebinarPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
    )
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("Empty: the document's title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def label(self):
        return self.title or self.document.title
