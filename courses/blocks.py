"""StreamField blocks of lesson pages. One template per block."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from learning.blocks import H5PActivityBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video URL"), help_text=_("YouTube, Vimeo or another oEmbed URL."))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("transcript"),
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        help_text=_("Full text of what is said: needed for accessibility and slow connections."),
    )

    class Meta:
        icon = "media"
        label = _("Video with transcript")
        template = "courses/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(label=_("description"), required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        label = _("Downloadable document")
        template = "courses/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("note", _("Note")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="note",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "info-circle"
        label = _("Callout")
        template = "courses/blocks/callout.html"


def lesson_body_blocks():
    """The blocks editors can use in a lesson."""
    return [
        ("text", blocks.RichTextBlock(label=_("Text"), template="courses/blocks/text.html")),
        ("image", ImageBlock()),
        ("video", VideoBlock()),
        ("document", DocumentBlock()),
        ("callout", CalloutBlock()),
        ("h5p", H5PActivityBlock()),
    ]
