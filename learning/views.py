"""Views of the learning core: the profile page, certificates (public verification and
the PDF for its owner or staff) and "My learning", whose sections (panels) the installed
apps contribute through the ``learning_dashboard_panels`` hook."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learning import services
from learning.certificates_pdf import render_certificate
from learning.forms import ProfileForm
from learning.models import Certificate
from learning.panels import collect_panels


@login_required
@never_cache
def profile(request):
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.save_profile(request.user, **form.cleaned_data)
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


@require_GET
@login_required
@never_cache
def certificate_pdf(request, code):
    certificate = (
        Certificate.objects.select_related("user__profile").filter(code=code.upper()).first()
    )
    staff = request.user.is_staff and request.user.has_perm("learning.view_certificate")
    if certificate is None or (certificate.user_id != request.user.pk and not staff):
        raise Http404
    if certificate.is_revoked:
        return redirect(certificate.get_verification_path())
    response = HttpResponse(render_certificate(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@never_cache
def dashboard(request):
    return render(
        request,
        "learning/dashboard.html",
        {
            "panels": collect_panels("learning_dashboard_panels", request),
            "certificates": request.user.certificates.order_by("-achieved_at"),
        },
    )
