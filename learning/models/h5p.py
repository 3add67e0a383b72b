"""H5P libraries and content packages.

A package is validated completely before anything is written (``learning.h5p.validator``),
then its libraries are stored once per patch version and each upload of a content becomes
an immutable ``H5PContentVersion`` under its own storage prefix, so attempts made on an
older version keep pointing at the files they were played with.
"""

import posixpath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from learning.storage import private_storage


class H5PLibrary(models.Model):
    """An installed H5P library (executable JavaScript): one row per ``machineName
    major.minor``, pointing at the currently installed patch version's files."""

    machine_name = models.CharField(_("machine name"), max_length=255)
    major_version = models.PositiveIntegerField(_("major version"))
    minor_version = models.PositiveIntegerField(_("minor version"))
    patch_version = models.PositiveIntegerField(_("patch version"))
    title = models.CharField(_("title"), max_length=255)
    runnable = models.BooleanField(_("runnable"), default=False)
    metadata = models.JSONField(_("library.json"), default=dict)
    storage_path = models.CharField(
        _("storage path"),
        max_length=500,
        help_text=_("Storage prefix of this patch version's files; never reused."),
    )
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("installed by"),
    )
    installed_at = models.DateTimeField(_("installed at"))

    class Meta:
        ordering = ["machine_name", "major_version", "minor_version"]
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        permissions = [("install_h5p_library", _("Can install H5P libraries"))]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"],
                name="unique_h5p_library_major_minor",
            ),
        ]

    def __str__(self):
        return f"{self.machine_name} {self.version}"

    @property
    def version(self):
        return f"{self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def folder_name(self):
        """The folder name h5p-standalone requests under its ``librariesPath``."""
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"


class H5PContent(index.Indexed, models.Model):
    """An H5P activity authors place on pages; its package may be replaced over time."""

    title = models.CharField(_("title"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    current_version = models.ForeignKey(
        "H5PContentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
    ]

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("H5P content")
        verbose_name_plural = _("H5P content")

    def __str__(self):
        return self.title


def package_upload_to(instance, filename):
    return f"h5p/packages/{instance.content_id}/v{instance.number}/{filename}"


class H5PContentVersion(models.Model):
    """One uploaded package of a content: immutable once playable.

    An upload that brings libraries its uploader may not install is kept, validated, in
    the private storage as "awaiting library approval": nothing of it is extracted and
    the content does not play it until someone allowed to install libraries approves it.
    """

    class Status(models.TextChoices):
        PLAYABLE = "playable", _("Playable")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting library approval")
        REJECTED = "rejected", _("Libraries rejected")

    content = models.ForeignKey(
        H5PContent,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("content"),
    )
    number = models.PositiveIntegerField(_("version"))
    package = models.FileField(
        _("package (.h5p)"), upload_to=package_upload_to, storage=private_storage, max_length=500
    )
    sha256 = models.CharField(_("SHA-256 of the package"), max_length=64)
    h5p_json = models.JSONField(_("h5p.json"), default=dict)
    main_library = models.CharField(
        _("main library"), max_length=300, help_text=_('e.g. "H5P.TrueFalse 1.6"')
    )
    libraries = models.ManyToManyField(
        H5PLibrary, related_name="content_versions", verbose_name=_("libraries")
    )
    storage_prefix = models.CharField(
        _("storage prefix"),
        max_length=500,
        help_text=_("Holds this version's h5p.json and content/ folder."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLAYABLE
    )
    libraries_brought = models.JSONField(
        _("libraries brought"),
        default=list,
        blank=True,
        help_text=_(
            "Libraries the package installs or upgrades: machine name, version, title and "
            "the version installed when it was uploaded (none for a new library)."
        ),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("libraries approved or rejected by"),
    )
    decided_at = models.DateTimeField(_("libraries approved or rejected at"), null=True, blank=True)
    decision_note = models.TextField(_("note to the uploader"), blank=True)

    class Meta:
        ordering = ["content", "-number"]
        indexes = [
            models.Index(fields=["sha256"], name="h5p_content_version_sha256"),
            models.Index(fields=["status"], name="h5p_content_version_status"),
        ]
        verbose_name = _("H5P content version")
        verbose_name_plural = _("H5P content versions")
        constraints = [
            models.UniqueConstraint(
                fields=["content", "number"], name="unique_h5p_content_version_number"
            ),
        ]

    def __str__(self):
        return f"{self.content} (v{self.number})"

    @property
    def awaiting_approval(self):
        return self.status == self.Status.AWAITING_APPROVAL

    @property
    def package_filename(self):
        return posixpath.basename(self.package.name)
