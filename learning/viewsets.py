"""Wagtail admin of the learning core, registered in ``learning/wagtail_hooks.py``:
certificates (search and inspect every certificate, correct the printed name, and revoke
one with a reason: the public verification page then says so), and the zoned date column
the rooms' admin screens share."""

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from learning.models import Certificate, CertificateDesignOverride
from learning.services import CertificateError, revoke_certificate


class ZonedDateColumn(Column):
    """A date and time in the viewer's zone, with the zone named."""

    cell_template_name = "learning/admin/h5p/zoned_date_cell.html"


class RevokeForm(WagtailAdminModelForm):
    revoked_reason = forms.CharField(
        label=_("Reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the public verification page, so write it for anyone who checks the code."
        ),
        max_length=2000,
    )

    class Meta:
        model = Certificate
        fields = ["revoked_reason"]


class CertificateIndexView(generic.IndexView):
    revoke_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not instance.is_revoked and self.user_has_permission("change"):
            buttons.append(
                Button(
                    _("Revoke"),
                    url=reverse(self.revoke_url_name, args=[quote(instance.pk)]),
                    icon_name="cross",
                    priority=40,
                )
            )
        return buttons


class RevokeCertificateView(generic.EditView):
    """Revokes through ``learning.services.revoke_certificate`` (which checks the
    permission again and records who revoked and when)."""

    success_message = _("Certificate “%(object)s” revoked.")
    page_title = _("Revoke certificate")
    submit_button_label = _("Revoke")

    def get_object(self, queryset=None):
        certificate = super().get_object(queryset)
        if certificate.is_revoked:
            raise PermissionDenied
        return certificate

    def form_valid(self, form):
        self.form = form
        try:
            self.object = revoke_certificate(
                self.object, reason=form.cleaned_data["revoked_reason"], user=self.request.user
            )
        except CertificateError as error:
            form.add_error("revoked_reason", str(error))
            return self.form_invalid(form)
        return self.save_action()

    def get_success_buttons(self):
        return []

    def get_context_data(self, **kwargs):
        # The generic edit form posts to the edit URL (the name form), not here.
        context = super().get_context_data(**kwargs)
        context["action_url"] = self.request.path
        return context


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full-inverse"
    menu_label = _("Certificates")
    add_to_admin_menu = True
    menu_order = 270
    index_view_class = CertificateIndexView
    inspect_view_enabled = True
    form_fields = ["recipient_name"]
    search_fields = ["code", "recipient_name", "title"]
    search_backend_name = None
    list_filter = ["kind"]
    list_display = [
        "recipient_name",
        "title",
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        ZonedDateColumn("achieved_at", label=_("Achieved at"), sort_key="achieved_at"),
        "code",
        StatusTagColumn(
            "is_revoked",
            label=_("Status"),
            accessor=lambda certificate: _("revoked") if certificate.is_revoked else _("valid"),
            primary=lambda certificate: not certificate.is_revoked,
        ),
    ]
    inspect_view_fields = [
        "code",
        "recipient_name",
        "title",
        "kind",
        "issuer",
        "achieved_at",
        "issued_at",
        "source_url",
        "revoked_at",
        "revoked_reason",
        "revoked_by",
        "revoked_by_correction",
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(revoke_url_name=self.get_url_name("revoke"), **kwargs)

    @property
    def revoke_view(self):
        return self.construct_view(
            RevokeCertificateView, **{**self.get_edit_view_kwargs(), "form_class": RevokeForm}
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<str:pk>/", self.revoke_view, name="revoke"),
        ]


certificate_viewset = CertificateViewSet("certificates")


class CertificateDesignOverrideViewSet(ModelViewSet):
    """Settings › Certificate designs for courses and series: a course's or series' own
    issuer, logo and signatories (administrators; Wagtail's model permissions)."""

    model = CertificateDesignOverride
    icon = "doc-full-inverse"
    menu_label = _("Certificates of a course or series")
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = ["page", "organisation_name", "updated_at"]
    search_fields = ["organisation_name", "page__title"]


certificate_design_override_viewset = CertificateDesignOverrideViewSet(
    "certificate_design_overrides"
)
