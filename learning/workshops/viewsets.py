"""Wagtail admin screens for workshop materials and trainer assignments.

A trainer sees and changes only the materials of their regions' workshops: every view's
queryset is scoped, so another region's material is not listed and its direct URLs answer
404. Writes go through ``learning.workshops.services``, which checks the region again.
Trainer assignments are managed by superusers only (nobody else has their permissions).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from learning.models import TrainerAssignment, WorkshopMaterial
from learning.workshops import permissions, services
from learning.workshops.file_types import validate_material_file


class WorkshopMaterialForm(WagtailAdminModelForm):
    """The file is a separate field so that it is checked, stored and versioned by the
    service, never written by the form."""

    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "Office document, PDF, image, audio or video. On an existing material, a new "
            "file replaces the current one, which stays available to trainers."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "workshop" in self.fields:
            self.fields["workshop"].queryset = (
                permissions.managed_workshops(self.for_user)
                .select_related("region")
                .order_by("region__sort_order", "-start_date")
            )
        if not self.instance.pk:
            self.fields["upload"].required = True

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            validate_material_file(upload)
        return upload


FIELDS = ["title", "kind", "language", "description", "topics", "licence", "visibility"]


class RegionScopedMixin:
    """Limit every object view to the materials of the user's regions (404 otherwise)."""

    def scoped_queryset(self):
        return permissions.managed_materials(self.request.user).select_related(
            "workshop", "workshop__region"
        )

    def get_queryset(self):
        return self.scoped_queryset()

    def get_base_object_queryset(self):
        return self.scoped_queryset()


class MaterialIndexView(generic.IndexView):
    def get_base_queryset(self):
        # Ids, not a join, so that Wagtail search can filter on them.
        workshop_ids = list(
            permissions.managed_workshops(self.request.user).values_list("pk", flat=True)
        )
        return WorkshopMaterial.objects.filter(workshop_id__in=workshop_ids).select_related(
            "workshop", "workshop__region"
        )


class ServiceErrorsMixin:
    """A service refusing the change shows as form errors, never as a server error."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("upload", error)
            return self.form_invalid(form)


class MaterialCreateView(ServiceErrorsMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        material = services.add_material(
            data["workshop"],
            data["upload"],
            user=self.request.user,
            topics=list(data.get("topics") or []),
            **{name: data[name] for name in FIELDS if name != "topics"},
        )
        log(instance=material, action="wagtail.create", user=self.request.user)
        return material


class MaterialEditView(ServiceErrorsMixin, RegionScopedMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        material = services.update_material(
            self.object,
            user=self.request.user,
            workshop=data["workshop"],
            topics=list(data.get("topics") or []),
            **{name: data[name] for name in FIELDS if name != "topics"},
        )
        if data.get("upload"):
            material = services.replace_material(material, data["upload"], user=self.request.user)
        log(instance=material, action="wagtail.edit", user=self.request.user)
        return material


class MaterialDeleteView(RegionScopedMixin, generic.DeleteView):
    def delete_action(self):
        log(instance=self.object, action="wagtail.delete", user=self.request.user)
        services.delete_material(self.object, user=self.request.user)


class MaterialHistoryView(RegionScopedMixin, history.HistoryView):
    pass


class MaterialUsageView(RegionScopedMixin, usage.UsageView):
    pass


class WorkshopMaterialViewSet(ModelViewSet):
    model = WorkshopMaterial
    icon = "doc-full"
    menu_label = _("Workshop materials")
    menu_order = 310
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["title", "workshop", "kind", "language", "visibility", "download_count"]
    list_filter = ["kind", "language", "visibility"]
    ordering = ["-uploaded_at"]
    index_view_class = MaterialIndexView
    add_view_class = MaterialCreateView
    edit_view_class = MaterialEditView
    delete_view_class = MaterialDeleteView
    history_view_class = MaterialHistoryView
    usage_view_class = MaterialUsageView
    edit_handler = ObjectList(
        [
            # A plain list of the user's workshops, not the page chooser (which would
            # browse the whole page tree, other regions' drafts included).
            FieldPanel("workshop", widget=forms.Select),
            FieldPanel("upload"),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("language")]),
            FieldPanel("description"),
            FieldPanel("topics"),
            FieldRowPanel([FieldPanel("licence"), FieldPanel("visibility")]),
        ],
        base_form_class=WorkshopMaterialForm,
    )


class TrainerAssignmentViewSet(ModelViewSet):
    model = TrainerAssignment
    icon = "group"
    menu_label = _("Trainer assignments")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["user", "region"]
    list_display = ["user", "region", "created_at"]
    list_filter = ["region"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    search_backend_name = None
    ordering = ["region__sort_order", "user__email"]


workshop_material_viewset = WorkshopMaterialViewSet("workshop_materials")
trainer_assignment_viewset = TrainerAssignmentViewSet("trainer_assignments")
