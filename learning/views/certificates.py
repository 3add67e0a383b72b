"""Certificate PDF download (the learner or staff who may view certificates)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learning.certificates_pdf import render_certificate
from learning.models import Certificate


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
