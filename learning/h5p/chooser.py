"""The chooser editors use to pick an H5P content, e.g. in the "H5P activity" block."""

from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

# Icons of the content types editors meet most (H5P.org, Lumi and Moodle exports); any
# other type shows the generic form icon.
TYPE_ICONS = {
    "H5P.TrueFalse": "tick-inverse",
    "H5P.MultiChoice": "list-ul",
    "H5P.SingleChoiceSet": "list-ul",
    "H5P.QuestionSet": "list-ol",
    "H5P.Blanks": "edit",
    "H5P.DragText": "edit",
    "H5P.DragQuestion": "crosshairs",
    "H5P.MarkTheWords": "bold",
    "H5P.InteractiveVideo": "media",
    "H5P.CoursePresentation": "doc-full",
    "H5P.Flashcards": "copy",
    "H5P.Dialogcards": "copy",
    "H5P.Accordion": "list-ul",
    "H5P.ImageHotspots": "image",
    "H5P.Summary": "clipboard-list",
    "H5P.CBQuickCheck": "help",
}


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

    cell_template_name = "learning/h5p/chooser_type_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        version = instance.current_version
        machine_name = version.main_library.split(" ")[0] if version else ""
        context["icon"] = (
            TYPE_ICONS.get(machine_name, "form") if version else "warning"
        )  # one of Wagtail's admin icons, so it needs nothing from the package
        return context

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
