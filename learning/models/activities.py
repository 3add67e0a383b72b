"""A plain page for H5P activities outside any course (practice quizzes, self-checks)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from learning.blocks import H5PActivityBlock


class ActivityPage(Page):
    """Text and H5P activities; learners' attempts are tracked on this page."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(
        [
            ("text", blocks.RichTextBlock(label=_("Text"))),
            ("h5p", H5PActivityBlock()),
        ],
        verbose_name=_("body"),
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types = []

    class Meta:
        verbose_name = _("activity page")
        verbose_name_plural = _("activity pages")
