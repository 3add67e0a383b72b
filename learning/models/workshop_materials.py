"""The materials trainers upload for regional workshops, and their previous versions.

Material files live under a random, unguessable storage path and are only ever served
through the permission-checked download views (``learning.workshops.views``), never by
their storage URL.
"""

import posixpath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from learning.storage import private_storage

from .workshops import WorkshopPage, language_choices, material_upload_to


class TaggedWorkshopMaterial(TaggedItemBase):
    content_object = models.ForeignKey(
        "learning.WorkshopMaterial", on_delete=models.CASCADE, related_name="tagged_items"
    )


class WorkshopMaterialQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class WorkshopMaterial(index.Indexed, models.Model):
    """A file a trainer uploaded for a workshop. Replacing the file keeps the old one as a
    ``WorkshopMaterialVersion`` that trainers can still download."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        HANDOUT = "handout", _("Handout")
        EXERCISE = "exercise", _("Exercise")
        CASE_STUDY = "case_study", _("Case study")
        RECORDING = "recording", _("Recording")
        REPORT = "report", _("Report")
        PHOTO = "photo", _("Photo")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        PARTICIPANTS = "participants", _("Workshop participants")
        TRAINERS = "trainers", _("Trainers only")

    class Licence(models.TextChoices):
        CC_BY = "CC-BY-4.0", "CC BY 4.0"
        CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
        CC_BY_NC = "CC-BY-NC-4.0", "CC BY-NC 4.0"
        CC_BY_NC_SA = "CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0"
        CC0 = "CC0-1.0", "CC0 1.0"
        ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")

    workshop = models.ForeignKey(
        WorkshopPage,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("workshop"),
    )
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=15, choices=language_choices)
    description = models.TextField(_("description"), blank=True)
    topics = TaggableManager(
        verbose_name=_("topics"),
        through=TaggedWorkshopMaterial,
        blank=True,
        help_text=_("Comma-separated, e.g. knowledge sharing, synergies."),
    )
    licence = models.CharField(
        _("licence"), max_length=30, choices=Licence.choices, default=Licence.CC_BY
    )
    visibility = models.CharField(
        _("visible to"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    file = models.FileField(
        _("file"), upload_to=material_upload_to, storage=private_storage, max_length=255
    )
    original_filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    objects = WorkshopMaterialQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        # "stakeholder" finds a material tagged "stakeholder mapping".
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("workshop_id"),
        index.FilterField("kind"),
        index.FilterField("language"),
        index.FilterField("visibility"),
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("workshop material")
        verbose_name_plural = _("workshop materials")
        indexes = [models.Index(fields=["workshop", "visibility"], name="material_visibility")]

    def __str__(self):
        return self.title

    def get_download_url(self):
        return reverse("learning:workshop_material_download", args=[self.pk])

    @property
    def extension(self):
        return posixpath.splitext(self.original_filename)[1].lstrip(".").lower()

    @property
    def opens_inline(self):
        """PDF and images open in the browser; everything else is downloaded."""
        return self.content_type == "application/pdf" or self.content_type.startswith("image/")


class WorkshopMaterialVersion(models.Model):
    """A file a material had before it was replaced; only trainers can download it."""

    material = models.ForeignKey(
        WorkshopMaterial,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("material"),
    )
    file = models.FileField(_("file"), storage=private_storage, max_length=255)
    original_filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at", "-pk"]
        verbose_name = pgettext_lazy("file", "previous version")
        verbose_name_plural = pgettext_lazy("file", "previous versions")

    def __str__(self):
        return self.original_filename

    def get_download_url(self):
        return reverse(
            "learning:workshop_material_version_download", args=[self.material_id, self.pk]
        )

    @property
    def opens_inline(self):
        return self.content_type == "application/pdf" or self.content_type.startswith("image/")


__all__ = [
    "TaggedWorkshopMaterial",
    "WorkshopMaterial",
    "WorkshopMaterialVersion",
]


class MaterialDownload(models.Model):
    """One download of a material's current file, for downloads over time per region.
    The region is kept with the download, so the count stays when a material is deleted
    or its workshop moves."""

    material = models.ForeignKey(
        WorkshopMaterial,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="downloads",
        verbose_name=_("material"),
    )
    region = models.ForeignKey(
        "learning.Region",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("region"),
    )
    downloaded_at = models.DateTimeField(_("downloaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material download")
        verbose_name_plural = _("material downloads")
        indexes = [models.Index(fields=["region", "downloaded_at"], name="material_download_idx")]

    def __str__(self):
        return f"{self.material_id} · {self.downloaded_at:%Y-%m-%d %H:%M}"
