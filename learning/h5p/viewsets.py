"""Wagtail admin for H5P: "Learning › H5P content" (upload, replace, versions, usage) and
"Learning › H5P libraries" (read-only list of installed libraries)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Coalesce
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log
from wagtail.models import ReferenceIndex

from learning.h5p.errors import H5PValidationError
from learning.h5p.forms import H5PApprovalDecisionForm, H5PContentReplaceForm, H5PContentUploadForm
from learning.h5p.services import (
    INSTALL_PERMISSION,
    approve_h5p_version,
    awaiting_approval,
    import_h5p,
    reject_h5p_version,
)
from learning.models import H5PContent, H5PContentVersion, H5PLibrary
from learning.viewsets import ZonedDateColumn


class UsageColumn(Column):
    """How many pages embed the content, linking to the list of those pages."""

    cell_template_name = "learning/admin/h5p/usage_cell.html"

    def __init__(self, name, *, usage_url_name, **kwargs):
        super().__init__(name, **kwargs)
        self.usage_url_name = usage_url_name

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["usage_url_name"] = self.usage_url_name
        return context


def _uploader(content):
    version = content.current_version
    user = version and version.uploaded_by
    if user is None:
        return "" if version is None else _("command line")
    return user.get_full_name() or user.email or user.get_username()


class ImportFormMixin:
    """Runs the import service on a valid form; a refused package becomes a form error
    on the file field naming each file and rule."""

    def import_package(self, form, content=None):
        user = self.request.user
        try:
            return import_h5p(
                form.cleaned_data["package"],
                user=user,
                title=form.cleaned_data.get("title") or None,
                content=content,
                allow_libraries=user.has_perm(INSTALL_PERMISSION),
                hold_new_libraries=True,
                reuse_same_package=True,
            )
        except H5PValidationError as error:
            form.add_error("package", error)
            return None

    def refused(self, form):
        self.produced_error_code = "validation_error"
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)

    def saved(self, version):
        if getattr(version, "reused", False):
            messages.info(
                self.request,
                gettext(
                    "This package was uploaded before, as “%(title)s”: that content is "
                    "used; no copy was made."
                )
                % {"title": version.content.title},
            )
            return redirect(self.get_reused_url(version))
        self.held = version.awaiting_approval
        response = self.save_action()
        return self.run_after_hook() or response

    def get_success_message(self, *args):
        if getattr(self, "held", False):
            # Nothing plays yet: say so instead of "imported".
            return gettext(
                "“%(title)s” brings H5P libraries that are not installed on this site. It is "
                "kept, not playable, until someone allowed to install libraries approves "
                "them; they have been told, and you will get an email with the decision."
            ) % {"title": self.object.title}
        return super().get_success_message(*args)

    def get_reused_url(self, version):
        return reverse("h5p_content:edit", args=[version.content_id])


class H5PContentCreateView(ImportFormMixin, generic.CreateView):
    success_message = _("H5P content “%(object)s” imported.")

    def form_valid(self, form):
        self.form = form
        version = self.import_package(form)
        if version is None:
            return self.refused(form)
        self.object = version.content
        if not getattr(version, "reused", False):
            log(instance=self.object, action="wagtail.create", user=self.request.user)
        return self.saved(version)


class H5PContentEditView(ImportFormMixin, generic.EditView):
    template_name = "learning/admin/h5p/content_edit.html"
    download_url_name = None

    def form_valid(self, form):
        if not form.cleaned_data.get("package"):
            return super().form_valid(form)
        self.form = form
        version = self.import_package(form, content=self.object)
        if version is None:
            return self.refused(form)
        if getattr(version, "reused", False):
            messages.info(
                self.request,
                gettext("This package is already the content's current version: no new version."),
            )
            return super().form_valid(form)  # the other fields (title) still save
        self.object.refresh_from_db()
        if not getattr(version, "reused", False):
            log(instance=self.object, action="wagtail.edit", user=self.request.user)
        return self.saved(version)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["download_url_name"] = self.download_url_name
        context["versions"] = self.object.versions.select_related("uploaded_by").prefetch_related(
            "libraries"
        )
        return context


class H5PContentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("current_version__uploaded_by")
            .annotate(
                usage_count=Coalesce(ReferenceIndex.usage_count_subquery(H5PContent), 0),
                awaiting_approval=Exists(
                    H5PContentVersion.objects.filter(
                        content=OuterRef("pk"), status=H5PContentVersion.Status.AWAITING_APPROVAL
                    )
                ),
            )
        )


def content_status(content):
    """What an editor needs to know of a content: playable, awaiting library approval (a
    new version may be pending while an older one plays), or not playable at all."""
    if getattr(content, "awaiting_approval", False):
        if content.current_version_id:
            return _("Playable · new version awaiting library approval")
        return _("Awaiting library approval")
    if content.current_version_id is None:
        return _("Not playable (libraries rejected)")
    return _("Playable")


class H5PContentViewSet(ModelViewSet):
    model = H5PContent
    icon = "form"
    menu_label = _("H5P content")
    add_to_admin_menu = False
    index_view_class = H5PContentIndexView
    add_view_class = H5PContentCreateView
    edit_view_class = H5PContentEditView
    search_fields = ["title"]
    ordering = ["title"]
    inspect_view_enabled = False
    copy_view_enabled = False

    @property
    def list_display(self):
        return [
            TitleColumn("title", label=_("Title"), url_name=self.get_url_name("edit")),
            Column(
                "main_library",
                label=_("Main library"),
                accessor="current_version.main_library",
            ),
            Column("version", label=_("Version"), accessor="current_version.number"),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor=content_status,
                primary=lambda content: (
                    content.current_version_id is not None and not content.awaiting_approval
                ),
            ),
            Column("uploaded_by", label=_("Uploaded by"), accessor=_uploader),
            ZonedDateColumn(
                "uploaded_at", label=_("Uploaded at"), accessor="current_version.uploaded_at"
            ),
            UsageColumn("usage_count", label=_("Usage"), usage_url_name=self.get_url_name("usage")),
        ]

    def get_form_class(self, for_update=False):
        return H5PContentReplaceForm if for_update else H5PContentUploadForm

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            download_url_name=self.get_url_name("download_package"), **kwargs
        )

    def download_package_view(self, request, pk, number):
        """The original .h5p of one version, for editors of H5P content (the file is in the
        private storage, which has no public URL)."""
        if not self.permission_policy.user_has_any_permission(request.user, ["change", "add"]):
            raise PermissionDenied
        version = get_object_or_404(H5PContentVersion, content_id=pk, number=number)
        response = FileResponse(
            version.package.open("rb"),
            as_attachment=True,
            filename=version.package_filename,
            content_type="application/zip",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "<id:pk>/versions/<id:number>/package/",
                self.download_package_view,
                name="download_package",
            ),
        ]


class H5PLibraryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("installed_by")
            .annotate(content_version_count=Count("content_versions"))
        )


class H5PLibraryViewSet(ModelViewSet):
    """Installed libraries, read-only: libraries arrive only with imported packages."""

    model = H5PLibrary
    icon = "code"
    menu_label = _("H5P libraries")
    add_to_admin_menu = False
    index_view_class = H5PLibraryIndexView
    search_fields = ["machine_name", "title"]
    search_backend_name = None
    ordering = ["machine_name", "major_version", "minor_version"]
    inspect_view_enabled = False
    url_finder_class = None
    list_display = [
        Column("machine_name", label=_("Machine name")),
        Column("version", label=_("Version")),
        Column("title", label=_("Title")),
        Column("runnable", label=_("Runnable")),
        Column("content_version_count", label=_("Used by content versions")),
        Column(
            "installed_by",
            label=_("Installed by"),
            accessor=lambda library: library.installed_by or _("command line"),
        ),
        ZonedDateColumn("installed_at", label=_("Installed at")),
    ]

    def get_permissions_to_register(self):
        # Only installing is a meaningful grant (Settings › Groups); rows are never edited.
        return super().get_permissions_to_register().filter(codename="install_h5p_library")

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


class InstallersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(INSTALL_PERMISSION)


class H5PApprovalViewSet(ViewSet):
    """ "Learning › H5P library approvals": packages held because they bring libraries, for
    the people allowed to install libraries, who approve or reject each in one screen."""

    icon = "warning"
    menu_label = _("H5P library approvals")
    menu_item_class = InstallersMenuItem
    add_to_admin_menu = False

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    def check(self, request):
        if not request.user.has_perm(INSTALL_PERMISSION):
            raise PermissionDenied

    def index_view(self, request):
        self.check(request)
        decided = (
            H5PContentVersion.objects.filter(decided_at__isnull=False)
            .select_related("content", "uploaded_by", "decided_by")
            .order_by("-decided_at")[:20]
        )
        return TemplateResponse(
            request,
            "learning/admin/h5p/approval_index.html",
            {
                "page_title": gettext("H5P library approvals"),
                "header_icon": self.icon,
                "awaiting": awaiting_approval(),
                "decided": decided,
                "review_url_name": self.get_url_name("review"),
            },
        )

    def review_view(self, request, pk):
        self.check(request)
        version = get_object_or_404(
            H5PContentVersion.objects.select_related("content", "uploaded_by", "decided_by"),
            pk=pk,
        )
        form = H5PApprovalDecisionForm(request.POST or None)
        if request.method == "POST" and version.awaiting_approval and form.is_valid():
            title = version.content.title
            if form.cleaned_data["decision"] == "approve":
                try:
                    approve_h5p_version(version, user=request.user)
                except H5PValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        gettext("Libraries installed: “%(title)s” can be played now.")
                        % {"title": title},
                    )
                    return redirect(self.get_url_name("index"))
            else:
                reject_h5p_version(version, user=request.user, note=form.cleaned_data["note"])
                messages.success(
                    request,
                    gettext("Libraries of “%(title)s” rejected; the uploader was told.")
                    % {"title": title},
                )
                return redirect(self.get_url_name("index"))
        return TemplateResponse(
            request,
            "learning/admin/h5p/approval_review.html",
            {
                "page_title": gettext("Review H5P libraries"),
                "header_icon": self.icon,
                "version": version,
                "form": form,
                "index_url": reverse(self.get_url_name("index")),
                "download_url": reverse(
                    "h5p_content:download_package", args=[version.content_id, version.number]
                ),
                "libraries_url": reverse("h5p_libraries:index"),
            },
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("<id:pk>/", self.review_view, name="review"),
        ]


class LearningViewSetGroup(ModelViewSetGroup):
    menu_label = _("Learning")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (
        H5PContentViewSet("h5p_content", url_prefix="learning/h5p-content"),
        H5PLibraryViewSet("h5p_libraries", url_prefix="learning/h5p-libraries"),
        H5PApprovalViewSet("h5p_approvals", url_prefix="learning/h5p-approvals"),
    )


learning_viewset_group = LearningViewSetGroup()
