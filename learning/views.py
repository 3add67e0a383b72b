"""Views of the learning core: the profile page and "My learning", whose sections (panels)
the installed apps contribute through the ``learning_dashboard_panels`` hook. Certificate
views live in ``learning.certificates.views``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from learning import services
from learning.forms import ProfileForm
from learning.panels import collect_panels


@csrf_exempt
def set_visitor_language(request):
    """Django's ``set_language`` for visitors who are not signed in, without the CSRF
    check: their header form then carries no token, so their pages can be cached
    (``learning.page_cache``). A forged request could only change a visitor's language
    cookie; it changes nothing stored. Signed-in people use the protected view; both then
    go to the same page in the chosen language (``set_language`` below)."""
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


def set_language(request):
    """Django's ``set_language``, and then to the same page in the chosen language: the
    switcher's ``next`` names the page as served in the current language, and a
    translated version may live at another URL (its own slugs). Without a version in that
    language, the same URL (the original is shown, marked with its language)."""
    from django.views.i18n import set_language as django_set_language

    from learning.translations import translated_url

    response = django_set_language(request)
    language = request.POST.get("language")
    next_url = response.get("Location") if response.status_code == 302 else None
    if not next_url or not language or language == translation.get_language():
        return response
    page = _page_at(request, next_url)
    if page is not None:
        path, _sep, query = next_url.partition("?")
        url = translated_url(page, language, request)
        if url and url != path:
            response["Location"] = url + (f"?{query}" if query else "")
    return response


def _page_at(request, url):
    """The Wagtail page served at ``url`` (a local path) in the current language, if a
    page is served there without a sub-route."""
    from urllib.parse import urlsplit

    from wagtail.models import Page, Site

    path = urlsplit(url).path
    site = Site.find_for_request(request)
    if site is None or not path.startswith("/"):
        return None
    components = [component for component in path.split("/") if component]
    try:
        page, args, kwargs = site.root_page.localized.specific.route(request, components)
    except Http404:  # not a page: the same URL
        return None
    if args or kwargs or not isinstance(page, Page):
        return None
    return page
