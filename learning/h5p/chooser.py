"""The chooser editors use to pick an H5P content, e.g. in the "H5P activity" block."""

from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet


class ContentTypeColumn(Column):
    """The content type an editor recognises ("True/False Question", "Quick check"): the
    title of the content's main library, looked up once per listing (libraries are few)."""

    @cached_property
    def library_titles(self):
        from learning.models import H5PLibrary

        return {
            f"{machine_name} {major}.{minor}": title
            for machine_name, major, minor, title in H5PLibrary.objects.values_list(
                "machine_name", "major_version", "minor_version", "title"
            )
        }

    def get_value(self, instance):
        version = instance.current_version
        if version is None:
            if instance.awaiting_approval:
                return _("Awaiting library approval")
            return _("Not playable")
        main = version.main_library
        return self.library_titles.get(main) or main.split(" ")[0].removeprefix("H5P.")


class H5PChooseViewMixin:
    def get_object_list(self):
        from learning.models import H5PContentVersion

        return (
            super()
            .get_object_list()
            .select_related("current_version")
            .annotate(
                awaiting_approval=Exists(
                    H5PContentVersion.objects.filter(
                        content=OuterRef("pk"), status=H5PContentVersion.Status.AWAITING_APPROVAL
                    )
                )
            )
        )

    @property
    def columns(self):
        return [*super().columns, ContentTypeColumn("content_type", label=_("Content type"))]


class H5PContentChooseView(H5PChooseViewMixin, ChooseView):
    pass


class H5PContentChooseResultsView(H5PChooseViewMixin, ChooseResultsView):
    pass


class H5PContentChooserViewSet(ChooserViewSet):
    model = "learning.H5PContent"
    icon = "form"
    choose_one_text = _("Choose H5P content")
    choose_another_text = _("Choose other H5P content")
    edit_item_text = _("Edit H5P content")
    per_page = 20
    choose_view_class = H5PContentChooseView
    choose_results_view_class = H5PContentChooseResultsView


h5p_content_chooser_viewset = H5PContentChooserViewSet("h5p_content_chooser")
