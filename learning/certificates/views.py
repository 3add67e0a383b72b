"""Public verification of certificates (by the code typed in a form, or the URL the QR code
holds) and the PDF for its owner or staff."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Site

from learning.certificates import verification
from learning.certificates.files import certificate_pdf as stored_certificate_pdf
from learning.certificates.forms import VerifyCodeForm
from learning.conf import learning_settings
from learning.models import Certificate


def _noindex(response):
    response["X-Robots-Tag"] = "noindex"
    return response


def _too_many(request):
    response = render(request, "learning/certificates/too_many.html", status=429)
    response["Retry-After"] = str(learning_settings.LEARNING_CERTIFICATE_VERIFY_WINDOW)
    return _noindex(response)


@require_GET
@never_cache
def verify_form(request):
    """``/certificates/verify/``: type the printed code; a well-formed code leads to its
    verification page (the address the QR code holds). Works without JavaScript."""
    form = VerifyCodeForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("learning:certificate_verify", form.cleaned_data["code"])
    status = 400 if form.is_bound else 200
    return _noindex(
        render(request, "learning/certificates/verify_form.html", {"form": form}, status=status)
    )


@require_GET
@never_cache
def certificate_verify(request, code):
    """Public: anyone holding the code learns whether the certificate is valid, or revoked
    and why. Shows the name, the achievement, its date and the issuer, and nothing else
    about the learner. Unknown codes count towards the address's limit."""
    if verification.over_limit(request):
        return _too_many(request)
    canonical = verification.normalise_code(code)
    certificate = Certificate.objects.filter(code=canonical).first() if canonical else None
    if certificate is None:
        verification.record_miss(request)
        status = "unknown"
    else:
        status = "revoked" if certificate.is_revoked else "valid"
    form = VerifyCodeForm(initial={"code": ""})
    return _noindex(
        render(
            request,
            "learning/certificates/verify.html",
            {"certificate": certificate, "status": status, "code": code, "form": form},
            status=200 if certificate else 404,
        )
    )


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
    response = HttpResponse(
        stored_certificate_pdf(certificate, site=Site.find_for_request(request)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return _noindex(response)
