"""Views of regional workshops: the workshop pages' contexts, material downloads and the
trainer page (``/workshops/trainer/``).

The browsing pages are Wagtail pages (``learning.models.workshops``) whose routes and
contexts are built here. Writes go through ``learning.workshops.services``, which
enforces who may do what.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from learning.models import WorkshopMaterial, WorkshopMaterialVersion, WorkshopParticipant
from learning.workshops import downloads, permissions, queries, services
from learning.workshops.file_types import allowed_extensions, max_file_size
from learning.workshops.forms import (
    MaterialEditForm,
    MaterialFilterForm,
    MaterialSearchForm,
    MaterialUploadForm,
    ParticipantsForm,
)

# --- pages ---------------------------------------------------------------------------------


def workshop_index(page, request):
    """``/workshops/``: the regions, and a search across the materials of every workshop."""
    context = page.get_context(request)
    workshops = page.workshops()
    context["regions"] = queries.index_regions(workshops)
    materials = permissions.visible_materials(request.user, workshops)
    form = MaterialSearchForm(
        request.GET or None,
        topics=queries.topics_in_use(materials),
        languages=queries.languages_in_use(materials),
    )
    results = None
    if form.is_bound and form.is_valid() and form.has_criteria():
        results = queries.search_materials(materials, **form.cleaned_data)
    context["search"] = {"form": form, "results": results}
    context["is_trainer"] = bool(permissions.trainer_region_ids(request.user))
    return page.render(request, context_overrides=context)


def region_workshops(page, request, region_slug):
    """``/workshops/regions/<slug>/``: a region's published workshops."""
    region, workshops = queries.region_workshops(page.workshops(), region_slug)
    return page.render(
        request,
        template="learning/workshops/region_page.html",
        context_overrides={"region": region, "workshops": workshops},
    )


def workshop_page_context(workshop, request):
    """A workshop page: the materials the visitor may see, narrowed by the filter form."""
    found = queries.workshop_materials(workshop, request.user)
    form = MaterialFilterForm(request.GET or None, topics=queries.topics_in_use(found.materials))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {
        "materials": found.listed(**filters),
        "filter_form": form,
        "can_manage": found.can_manage,
        "is_participant": found.is_participant,
    }


# --- downloads ---------------------------------------------------------------------------


def _file_response(request, field_file, filename, content_type, *, inline, private):
    headers = {
        "X-Content-Type-Options": "nosniff",
        # Revalidated every time, so each download is counted and a changed visibility holds.
        "Cache-Control": "private, no-store" if private else "no-cache",
    }
    if content_type != "application/pdf":
        # Nothing a material contains may run scripts on this origin, even opened inline.
        headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return downloads.serve_file(
        request, field_file, filename, content_type, inline=inline, headers=headers
    )


def _refuse(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404(_("No material found, or you may not download it."))


@require_safe
def material_download(request, pk):
    """The current file of a material, for whoever may see it; counts the download."""
    material = get_object_or_404(
        WorkshopMaterial.objects.select_related("workshop", "workshop__region"), pk=pk
    )
    if not permissions.may_download(request.user, material):
        return _refuse(request)
    response = _file_response(
        request,
        material.file,
        material.original_filename,
        material.content_type,
        inline=material.opens_inline,
        private=material.visibility != WorkshopMaterial.Visibility.PUBLIC,
    )
    # Once per download: not for a resumed download's later ranges, a 304 or a 416.
    if response.starts_download:
        services.record_download(material)
    return response


@require_safe
def material_version_download(request, pk, version_pk):
    """A file a material had before it was replaced: trainers of its region only."""
    version = get_object_or_404(
        WorkshopMaterialVersion.objects.select_related("material__workshop"),
        pk=version_pk,
        material_id=pk,
    )
    if not permissions.may_download_versions(request.user, version.material):
        return _refuse(request)
    return _file_response(
        request,
        version.file,
        version.original_filename,
        version.content_type,
        inline=version.opens_inline,
        private=True,
    )


# --- trainer page ------------------------------------------------------------------------


def _managed_workshop(request, workshop_id):
    """A workshop the user trains; other regions' workshops do not exist for them (404)."""
    return get_object_or_404(
        permissions.managed_workshops(request.user).select_related("region"), pk=workshop_id
    )


def _managed_material(request, pk):
    return get_object_or_404(
        permissions.managed_materials(request.user).select_related("workshop", "workshop__region"),
        pk=pk,
    )


@login_required
@never_cache
def trainer_home(request):
    """The workshops of the trainer's regions, newest first."""
    region_ids = permissions.trainer_region_ids(request.user)
    if not region_ids:
        raise PermissionDenied(_("Only trainers assigned to a region can use this page."))
    workshops = (
        permissions.managed_workshops(request.user)
        .select_related("region")
        .annotate(material_count=Count("materials"))
        .order_by("region__sort_order", "-start_date", "title")
    )
    return render(request, "learning/workshops/trainer_home.html", {"workshops": workshops})


def _upload_error(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@login_required
@never_cache
def trainer_workshop(request, workshop_id):
    """Upload several files at once and see the workshop's materials and participants.

    Without JavaScript the form posts all files and the page lists each file's outcome;
    with JavaScript each file is posted on its own (``Accept: application/json``) so the
    page can show its progress and its own answer.
    """
    workshop = _managed_workshop(request, workshop_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    outcomes = []
    if request.method == "POST":
        form = MaterialUploadForm(request.POST, request.FILES)
        if form.is_valid() and not form.cleaned_data["files"]:
            form.add_error("files", _("Choose at least one file."))
        if form.is_valid():
            files = form.cleaned_data["files"]
            shared = {
                name: form.cleaned_data[name]
                for name in ("kind", "language", "visibility", "licence", "description", "topics")
            }
            # A title names one file; several files are each titled after their name.
            title = form.cleaned_data["title"] if len(files) == 1 else ""
            for uploaded in files:
                try:
                    material = services.add_material(
                        workshop, uploaded, user=request.user, title=title, **shared
                    )
                except ValidationError as error:
                    outcomes.append({"name": uploaded.name, "error": _upload_error(error)})
                else:
                    outcomes.append({"name": uploaded.name, "material": material})
            if wants_json and len(outcomes) == 1:
                return _outcome_json(outcomes[0])
            _report_outcomes(request, outcomes)
            if not any("error" in outcome for outcome in outcomes):
                return redirect("learning:workshop_trainer_workshop", workshop.pk)
            form = MaterialUploadForm(initial=shared)
        elif wants_json:
            return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
    else:
        form = MaterialUploadForm()
    context = {
        "workshop": workshop,
        "form": form,
        "kind_guesses": json.dumps(services.KIND_BY_EXTENSION),
        "outcomes": outcomes,
        "participants_form": ParticipantsForm(),
        **_workshop_lists(workshop),
    }
    return render(request, "learning/workshops/trainer_workshop.html", context)


def _outcome_json(outcome):
    if "error" in outcome:
        return JsonResponse({"ok": False, "name": outcome["name"], "error": outcome["error"]})
    material = outcome["material"]
    return JsonResponse(
        {
            "ok": True,
            "name": outcome["name"],
            "title": material.title,
            "edit_url": reverse("learning:workshop_trainer_material", args=[material.pk]),
        },
        status=201,
    )


def _report_outcomes(request, outcomes):
    saved = [outcome for outcome in outcomes if "material" in outcome]
    if saved:
        messages.success(
            request,
            ngettext("%(count)d file was added.", "%(count)d files were added.", len(saved))
            % {"count": len(saved)},
        )


def _workshop_lists(workshop):
    return {
        "materials": workshop.materials.prefetch_related("topics")
        .annotate(version_count=Count("versions"))
        .order_by("kind", "title"),
        "participants": workshop.participants.select_related("user").order_by("email"),
        "allowed_extensions": allowed_extensions(),
        "max_file_size": max_file_size(),
    }


@login_required
@never_cache
def trainer_material(request, pk):
    """Edit a material's description, or replace its file (the old one stays a version)."""
    material = _managed_material(request, pk)
    form = MaterialEditForm(request.POST or None, request.FILES or None, instance=material)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            material = services.update_material(
                material,
                user=request.user,
                topics=data["topics_text"],
                **{name: data[name] for name in MaterialEditForm.Meta.fields},
            )
            if data.get("replacement"):
                material = services.replace_material(
                    material, data["replacement"], user=request.user
                )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("replacement", error)
        else:
            messages.success(request, _("“%(title)s” was saved.") % {"title": material.title})
            return redirect("learning:workshop_trainer_workshop", material.workshop_id)
    versions = material.versions.select_related("uploaded_by")
    return render(
        request,
        "learning/workshops/trainer_material.html",
        {"material": material, "workshop": material.workshop, "form": form, "versions": versions},
    )


@login_required
@never_cache
def trainer_material_delete(request, pk):
    material = _managed_material(request, pk)
    if request.method == "POST":
        services.delete_material(material, user=request.user)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": material.title})
        return redirect("learning:workshop_trainer_workshop", material.workshop_id)
    return render(
        request,
        "learning/workshops/trainer_material_delete.html",
        {"material": material, "workshop": material.workshop},
    )


@login_required
@require_POST
def trainer_participants(request, workshop_id):
    """Add participants from typed addresses and/or a CSV file; all or nothing."""
    workshop = _managed_workshop(request, workshop_id)
    form = ParticipantsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            emails = form.typed_emails()
            if form.cleaned_data.get("csv_file"):
                emails += services.parse_participant_csv(form.cleaned_data["csv_file"])
            result = services.add_participants(workshop, emails, user=request.user)
        except services.WorkshopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Participants added: %(added)d. Already on the list: %(listed)d.")
                % {"added": len(result.added), "listed": len(result.already_listed)},
            )
            return redirect(
                reverse("learning:workshop_trainer_workshop", args=[workshop.pk]) + "#participants"
            )
    context = {
        "workshop": workshop,
        "form": MaterialUploadForm(),
        "kind_guesses": json.dumps(services.KIND_BY_EXTENSION),
        "participants_form": form,
        "outcomes": [],
        **_workshop_lists(workshop),
    }
    return render(request, "learning/workshops/trainer_workshop.html", context, status=400)


@login_required
@require_POST
def trainer_participant_remove(request, workshop_id, pk):
    workshop = _managed_workshop(request, workshop_id)
    participant = get_object_or_404(WorkshopParticipant, workshop=workshop, pk=pk)
    services.remove_participant(participant, user=request.user)
    messages.success(
        request, _("%(email)s is no longer a participant.") % {"email": participant.email}
    )
    return redirect(
        reverse("learning:workshop_trainer_workshop", args=[workshop.pk]) + "#participants"
    )
