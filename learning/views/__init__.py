from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learning.forms import ProfileForm
from learning.models import Certificate
from learning.services import accounts as account_services


@login_required
@never_cache
def profile(request):
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(request.user))
    if request.method == "POST" and form.is_valid():
        account_services.save_profile(request.user, **form.cleaned_data)
        translation.activate(form.cleaned_data["preferred_language"])
        messages.success(request, _("Your profile has been saved."))
        response = redirect("learning:profile")
        response.set_cookie(
            "django_language", form.cleaned_data["preferred_language"], samesite="Lax"
        )
        return response
    return render(request, "learning/profile.html", {"form": form})


@require_GET
def certificate_verify(request, code):
    """Public: anyone holding the code learns whether the certificate is valid. Shows the
    name, the achievement and the date, and nothing else about the learner."""
    certificate = Certificate.objects.filter(code=code.upper()).first()
    status = "unknown"
    if certificate is not None:
        status = "revoked" if certificate.is_revoked else "valid"
    response = render(
        request,
        "learning/certificate_verify.html",
        {"certificate": certificate, "status": status, "code": code},
        status=200 if certificate else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
