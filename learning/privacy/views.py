"""The person's own privacy pages: the notice, their data as JSON, erasing their account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learning.privacy import services
from learning.privacy.forms import EraseAccountForm


@require_GET
def notice(request):
    return render(
        request,
        "learning/privacy/notice.html",
        {
            # A date-like version ("2026-11") reads backwards in Arabic unless isolated.
            "version": format_html('<bdi dir="ltr">{}</bdi>', services.notice_version()),
            "retention_days": services.retention_days(),
        },
    )


@require_GET
@never_cache
@login_required
def my_data(request):
    body = services.personal_data_json(request.user, by=request.user)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-personal-data.json"'
    return response


@never_cache
@login_required
def erase_account(request):
    form = EraseAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.erase_account(request.user, by=request.user)
        logout(request)
        messages.success(request, _("Your account and your personal data have been erased."))
        return redirect("/")
    return render(request, "learning/privacy/erase.html", {"form": form})
