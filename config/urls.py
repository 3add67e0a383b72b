from django.conf import settings
from django.conf.urls.static import static
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from learning import views as learning_views
from learning.health import healthz


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on every site, whatever the pages link to."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static_url("favicon.ico")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The header's language switcher: Django's view, then the page in that language.
    path("i18n/setlang/", learning_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("learning.urls")),
    path("", include("courses.urls")),
    path("", include("webinars.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
