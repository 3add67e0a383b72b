"""StreamField blocks the learning core offers to every page type. One template per block."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from learning.h5p.chooser import h5p_content_chooser_viewset

H5PContentChooserBlock = h5p_content_chooser_viewset.get_block_class(
    name="H5PContentChooserBlock", module_path="learning.blocks"
)


class H5PActivityBlock(blocks.StructBlock):
    """An H5P content played in a sandboxed frame from the content origin, tracked per
    learner and page. Its template needs ``page`` and ``request`` in the parent context,
    which Wagtail passes when a page renders its StreamField with ``include_block``."""

    content = H5PContentChooserBlock(label=_("H5P content"))
    pass_mark = blocks.IntegerBlock(
        label=_("Pass mark (%)"),
        required=False,
        min_value=0,
        max_value=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "Score a learner needs for the activity to count as passed. Leave empty to "
            "accept any finished attempt."
        ),
    )
    required = blocks.BooleanBlock(
        label=_("Required for completion"),
        default=True,
        required=False,
        help_text=_("The lesson is complete only when this activity is."),
    )

    class Meta:
        icon = "form"
        label = _("H5P activity")
        template = "learning/blocks/h5p_activity.html"

    def get_context(self, value, parent_context=None):
        from learning.h5p.player import activity_for

        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        context["activity"] = activity_for(
            request=parent_context.get("request"),
            page=parent_context.get("page"),
            content=value.get("content"),
            pass_mark=value.get("pass_mark"),
        )
        return context
