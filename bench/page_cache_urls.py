"""The site's URLs plus ``/bench/trivial/``: ``HttpResponse("ok")``, the baseline of the
page-cache benchmark (every middleware of the site runs for it too)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial/", trivial), *site_urlpatterns]
