"""Regional training workshops: the pages, their trainers and links, participant lists.

``/workshops/`` (``WorkshopIndexPage``) lists the regions; ``/workshops/regions/<slug>/``
lists a region's workshops; each ``WorkshopPage`` lists the materials the visitor may see
(``workshop_materials``). Their routes and context are built by
``learning.workshops.views``. ``language_choices`` and ``material_upload_to`` stay here:
the migrations refer to them by this path.
"""

import posixpath
import uuid

from django import forms
from django.conf import global_settings, settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .regions import Region


def language_choices():
    """Every language Django knows, named in the active language (materials and workshops
    may be in languages the site's interface is not translated into)."""
    return [(code, gettext(name)) for code, name in global_settings.LANGUAGES]


RESERVED_WORKSHOP_SLUGS = {"regions", "trainer", "materials"}


class WorkshopIndexPage(RoutablePageMixin, Page):
    """``/workshops/``: regions with their workshops, and a search across materials."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["learning.HomePage"]
    subpage_types = ["learning.WorkshopPage"]
    max_count = 1
    template = "learning/workshops/workshop_index_page.html"

    class Meta:
        verbose_name = _("workshop index page")

    def workshops(self):
        return WorkshopPage.objects.child_of(self).live().public()

    @path("")
    def index_route(self, request):
        from learning.workshops import views

        return views.workshop_index(self, request)

    @path("regions/<slug:region_slug>/")
    def region_route(self, request, region_slug):
        from learning.workshops import views

        return views.region_workshops(self, request, region_slug)


class WorkshopPageForm(WagtailAdminPageForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=language_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_WORKSHOP_SLUGS:
            raise forms.ValidationError(
                gettext("The slug “%(slug)s” is reserved for the workshop pages' own addresses.")
                % {"slug": slug}
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", gettext("The workshop cannot end before it starts."))
        if not cleaned.get("is_online") and not cleaned.get("venue_city"):
            self.add_error(
                "venue_city", gettext("Give the city of the venue, or mark the workshop online.")
            )
        return cleaned


class WorkshopPage(Page):
    """One regional training workshop and its library of materials."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("region")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    is_online = models.BooleanField(_("online"), default=False)
    venue_city = models.CharField(_("city"), max_length=120, blank=True)
    venue_country = CountryField(_("country"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    description = RichTextField(_("description"), blank=True)
    agenda = RichTextField(_("agenda"), blank=True)
    participants_count = models.PositiveIntegerField(
        _("number of participants"),
        null=True,
        blank=True,
        help_text=_("How many people took part (shown publicly)."),
    )

    base_form_class = WorkshopPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("region"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        MultiFieldPanel(
            [FieldPanel("is_online"), FieldPanel("venue_city"), FieldPanel("venue_country")],
            heading=_("Venue"),
        ),
        FieldPanel("languages"),
        FieldPanel("description"),
        FieldPanel("agenda"),
        InlinePanel("trainers", heading=_("Trainers"), label=_("trainer")),
        FieldPanel("participants_count"),
        InlinePanel("related_links", heading=_("Related courses and webinars"), label=_("link")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.FilterField("region"),
    ]
    parent_page_types = ["learning.WorkshopIndexPage"]
    subpage_types = []
    template = "learning/workshops/workshop_page.html"

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    @property
    def language_names(self):
        names = dict(language_choices())
        return [names.get(code, code) for code in self.languages]

    def get_context(self, request, *args, **kwargs):
        from learning.workshops import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.workshop_page_context(self, request))
        context["index_url"] = self.get_parent().get_url(request)
        context["trainers"] = self.trainers.all()
        context["related_links"] = self.related_links.select_related("link_page")
        return context


class WorkshopTrainer(Orderable):
    """A trainer named on a workshop page (with or without an account)."""

    page = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="trainers")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)

    panels = [FieldPanel("name"), FieldPanel("affiliation")]

    class Meta(Orderable.Meta):
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self):
        return self.name


class WorkshopRelatedLink(Orderable):
    """A related course or webinar: a page of this site, or an address elsewhere."""

    page = ParentalKey(WorkshopPage, on_delete=models.CASCADE, related_name="related_links")
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("page"),
    )
    link_url = models.URLField(_("address"), blank=True)
    link_title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("Defaults to the page's title.")
    )

    panels = [PageChooserPanel("link_page"), FieldPanel("link_url"), FieldPanel("link_title")]

    class Meta(Orderable.Meta):
        verbose_name = _("related link")
        verbose_name_plural = _("related links")
        constraints = [
            models.CheckConstraint(
                condition=(Q(link_page__isnull=False) & Q(link_url=""))
                | (Q(link_page__isnull=True) & ~Q(link_url="")),
                name="workshop_link_page_xor_url",
            )
        ]

    def clean(self):
        if bool(self.link_page_id) == bool(self.link_url):
            raise ValidationError(gettext("Choose a page or give an address, not both."))

    @property
    def title(self):
        if self.link_title:
            return self.link_title
        return self.link_page.title if self.link_page_id else self.link_url

    @property
    def url(self):
        return self.link_page.url if self.link_page_id else self.link_url


class WorkshopParticipant(models.Model):
    """Someone on a workshop's participant list: they see participant-only materials.

    Listed by email, so people can be added before they have an account; ``user`` is
    filled in when an account with that address exists.
    """

    workshop = models.ForeignKey(
        WorkshopPage,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("workshop"),
    )
    email = models.EmailField(_("email"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshop_participations",
        verbose_name=_("account"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("workshop participant")
        verbose_name_plural = _("workshop participants")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "email"], name="unique_workshop_email"),
        ]

    def __str__(self):
        return self.email


def material_upload_to(instance, filename):
    """A random directory per file: the storage path cannot be guessed or enumerated."""
    name = get_valid_filename(posixpath.basename(filename))[-100:] or "file"
    return f"workshop-materials/{uuid.uuid4().hex}/{name}"


__all__ = [
    "WorkshopIndexPage",
    "WorkshopPage",
    "WorkshopParticipant",
    "WorkshopRelatedLink",
    "WorkshopTrainer",
]
