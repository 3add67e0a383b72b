"""Public verification of certificates (by the code typed in a form, or the URL the QR code
holds); the PDF, the Open Badges credential and the badge image for their owner or staff;
the issuer's DID document and the revocation lists verifiers fetch."""

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Site

from learning.certificates import credentials, keys, status_list, verification
from learning.certificates.files import certificate_pdf as stored_certificate_pdf
from learning.certificates.files import design_for_certificate
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
    owner = (
        status == "valid"
        and request.user.is_authenticated
        and certificate.user_id == request.user.pk
    )
    return _noindex(
        render(
            request,
            "learning/certificates/verify.html",
            {
                "certificate": certificate,
                "status": status,
                "code": code,
                "form": form,
                "owner": owner,
            },
            status=200 if certificate else 404,
        )
    )


def _own_certificate(request, code):
    """The certificate for its owner, or staff with the view permission; 404 for anyone
    else, so a code's existence does not leak."""
    certificate = (
        Certificate.objects.select_related("user__profile").filter(code=code.upper()).first()
    )
    staff = request.user.is_staff and request.user.has_perm("learning.view_certificate")
    if certificate is None or (certificate.user_id != request.user.pk and not staff):
        raise Http404
    return certificate


def _attachment(data, *, content_type, filename):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _noindex(response)


@require_GET
@login_required
@never_cache
def certificate_pdf(request, code):
    certificate = _own_certificate(request, code)
    if certificate.is_revoked:
        return redirect(certificate.get_verification_path())
    return _attachment(
        stored_certificate_pdf(certificate, site=Site.find_for_request(request)),
        content_type="application/pdf",
        filename=f"certificate-{certificate.code}.pdf",
    )


@require_GET
@login_required
@never_cache
def certificate_credential(request, code):
    """The Open Badges 3.0 credential as a signed JWT (``application/vc+jwt``)."""
    certificate = _own_certificate(request, code)
    if certificate.is_revoked:
        return redirect(certificate.get_verification_path())
    design = design_for_certificate(certificate, Site.find_for_request(request))
    return _attachment(
        credentials.signed_credential(certificate, design=design),
        content_type=credentials.MEDIA_TYPE,
        filename=f"credential-{certificate.code}.jwt",
    )


@require_GET
@login_required
@never_cache
def certificate_badge(request, code):
    """A PNG badge with the signed credential baked in."""
    certificate = _own_certificate(request, code)
    if certificate.is_revoked:
        return redirect(certificate.get_verification_path())
    design = design_for_certificate(certificate, Site.find_for_request(request))
    credential = credentials.signed_credential(certificate, design=design)
    return _attachment(
        credentials.baked_badge(certificate, credential),
        content_type="image/png",
        filename=f"badge-{certificate.code}.png",
    )


@require_GET
def did_document(request):
    """The issuer's ``did:web`` document, with every key credentials may be signed with."""
    response = JsonResponse(keys.did_document(), content_type="application/did+json")
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def credential_status_list(request, number):
    """The signed revocation list ``number`` (``application/vc+jwt``); verifiers fetch it
    from any origin."""
    highest = Certificate.objects.aggregate(highest=Max("pk"))["highest"] or 0
    if highest == 0 or number > (highest - 1) // status_list.LIST_SIZE:
        raise Http404
    response = HttpResponse(
        credentials.sign(status_list.status_list_credential(number)),
        content_type=credentials.MEDIA_TYPE,
    )
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(
        response, public=True, max_age=learning_settings.LEARNING_CREDENTIAL_STATUS_MAX_AGE
    )
    return response
