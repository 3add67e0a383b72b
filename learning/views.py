"""Views of the learning core: the profile page and "My learning", whose sections (panels)
the installed apps contribute through the ``learning_dashboard_panels`` hook. Certificate
views live in ``learning.certificates.views``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from learning import services
from learning.forms import ProfileForm
from learning.panels import collect_panels


@csrf_exempt
def set_visitor_language(request):
    """Django's ``set_language`` for visitors who are not signed in, without the CSRF
    check: their header form then carries no token, so their pages can be cached
    (``learning.page_cache``). A forged request could only change a visitor's language
    cookie; it changes nothing stored. Signed-in people use the protected view."""
    return set_language(request)


@login_required
@never_cache
def profile(request):
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.save_profile(request.user, **form.cleaned_data)
        translation.activate(form.cleaned_data["preferred_language"])
        messages.success(request, _("Your profile has been saved."))
        response = redirect("learning:profile")
        # As Django's own set_language view does: the site's cookie settings apply
        # (Secure and HttpOnly in production).
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.cleaned_data["preferred_language"],
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
        )
        return response
    return render(request, "learning/profile.html", {"form": form})


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
