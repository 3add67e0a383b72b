"""'My learning': what a learner is doing and has achieved, in sections (panels) that the
installed apps contribute through the ``learning_dashboard_panels`` hook."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from learning.panels import collect_panels


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
