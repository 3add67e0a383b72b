"""The chooser editors use to pick an H5P content, e.g. in the "H5P activity" block."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet


class H5PContentChooserViewSet(ChooserViewSet):
    model = "learning.H5PContent"
    icon = "form"
    choose_one_text = _("Choose H5P content")
    choose_another_text = _("Choose other H5P content")
    edit_item_text = _("Edit H5P content")
    per_page = 20


h5p_content_chooser_viewset = H5PContentChooserViewSet("h5p_content_chooser")
