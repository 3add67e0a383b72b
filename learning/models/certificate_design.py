"""How certificates look: the organisation that issues them, its logo, the signatories and
the paper size, edited by administrators as a Wagtail site setting (Settings >
Certificates)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="doc-full-inverse")
class CertificateDesign(BaseSiteSetting, ClusterableModel):
    class PaperSize(models.TextChoices):
        A4 = "A4", _("A4")
        LETTER = "letter", _("US Letter")

    organisation_name = models.CharField(
        _("organisation name"),
        max_length=255,
        blank=True,
        help_text=_("Printed at the top of every certificate as its issuer."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    paper_size = models.CharField(
        _("paper size"), max_length=10, choices=PaperSize.choices, default=PaperSize.A4
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("logo"),
        FieldPanel("paper_size"),
        InlinePanel("signatories", label=_("Signatories"), max_num=3),
    ]

    class Meta:
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")


class CertificateSignatory(Orderable):
    design = ParentalKey(CertificateDesign, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, help_text=_("e.g. Executive Secretary"))
    signature = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature image"),
    )

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")


class CertificateDesignOverride(ClusterableModel):
    """A course's or a webinar series' own issuer, logo and signatories, printed on the
    certificates of that page and of everything under it (a series' sessions) instead of the
    site's. What is left empty comes from the site's design; the paper size always does."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="certificate_design_override",
        verbose_name=_("course or series"),
        help_text=_(
            "The certificates of this page and of the pages under it (a series' sessions) "
            "use this design."
        ),
    )
    organisation_name = models.CharField(
        _("organisation name"),
        max_length=255,
        blank=True,
        help_text=_("Empty: the organisation name of the site's certificate design."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_("Empty: the logo of the site's certificate design."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("page"),
        FieldPanel("organisation_name"),
        FieldPanel("logo"),
        InlinePanel(
            "signatories",
            label=_("Signatories (none: the site's signatories)"),
            max_num=3,
        ),
    ]

    class Meta:
        verbose_name = _("certificate design for a course or series")
        verbose_name_plural = _("certificate designs for courses and series")

    def __str__(self):
        return str(self.page)


class CertificateOverrideSignatory(Orderable):
    design = ParentalKey(
        CertificateDesignOverride, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, help_text=_("e.g. Executive Secretary"))
    signature = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature image"),
    )

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
