"""The anonymous page cache: Wagtail pages served to visitors who are not signed in are
kept in the shared cache (Redis in production) and served from it until anything they
show changes.

What is stored: the response of a Wagtail page (``wagtail.views.serve``) to a GET by a
visitor with no session cookie and no pending messages, when the response is a 200 that
sets no cookie, used no CSRF token, is not ``private``/``no-store``/``no-cache`` and is
not streamed. Anything personal (a signed-in learner's page, a form with a CSRF token, a
join link, a message) is therefore never stored, and never served: a request with a
session or messages cookie bypasses the cache entirely.

The key: the current generation, the scheme and host, the full path with its query
string, the language the page is rendered in (switcher cookie or Accept-Language, as
``LocaleMiddleware`` resolved it) and the time zone times are shown in (the ``tz`` cookie
the browser sets, see ``learning.timezones``).

Invalidation is exact by generation: every entry's key carries the generation, a random
token kept in the cache; any change a page may show replaces the token (publish,
unpublish, move, delete, a saved page, a view restriction, a registration, a schedule
change, a material, a speaker...), so the very next request misses and renders afresh.
Apps declare what their pages show with ``invalidate_on_change(Model, ...)``; code that
changes such rows behind the ORM's signals (a queryset ``update``) calls
``invalidate_pages()`` itself. The token is replaced at once and again when the
transaction commits, so a request that rendered the old rows in between cannot keep them.
Entries also expire after ``LEARNING_PAGE_CACHE_SECONDS`` (0 turns the cache off), which
bounds what only the clock changes ("registration closes in ...").
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from wagtail.signals import page_published, page_unpublished, post_page_move

from learning.conf import learning_settings

GENERATION_KEY = "learning:pages:generation"
HEADER = "X-Page-Cache"
_NOT_STORED_CACHE_CONTROL = ("private", "no-store", "no-cache")


def _new_generation():
    generation = uuid.uuid4().hex[:12]
    cache.set(GENERATION_KEY, generation, None)
    return generation


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex[:12]
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def invalidate_pages(**_signal_kwargs):
    """Drop every cached page: now, and again when the current transaction commits."""
    _new_generation()
    transaction.on_commit(_new_generation)


def invalidate_on_change(*models):
    """Cached pages are dropped whenever a row of one of ``models`` is saved or deleted."""
    for model in models:
        label = model._meta.label_lower
        post_save.connect(
            invalidate_pages, sender=model, weak=False, dispatch_uid=f"page_cache_save_{label}"
        )
        post_delete.connect(
            invalidate_pages, sender=model, weak=False, dispatch_uid=f"page_cache_delete_{label}"
        )


def _page_changed(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        invalidate_pages()


def connect_page_signals():
    """Publish, unpublish, move, save and delete of any page; called once at start-up."""
    page_published.connect(invalidate_pages, weak=False, dispatch_uid="page_cache_published")
    page_unpublished.connect(invalidate_pages, weak=False, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(invalidate_pages, weak=False, dispatch_uid="page_cache_moved")
    # Any page class: drafts saved too (harmless), and changes made by ``page.save()``
    # outside a publication.
    post_save.connect(_page_changed, weak=False, dispatch_uid="page_cache_page_saved")
    post_delete.connect(_page_changed, weak=False, dispatch_uid="page_cache_page_deleted")


def _cache_key(request, generation):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return ":".join(
        [
            "learning:page",
            generation,
            request.scheme,
            request.get_host(),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            path,
        ]
    )


def _may_use_cache(request):
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _may_store(request, response):
    if not getattr(request, "_page_cache_wagtail_page", False):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a CSRF token (a form)
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.used or len(messages)):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in _NOT_STORED_CACHE_CONTROL):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


class AnonymousPageCacheMiddleware:
    """Serves and stores anonymous Wagtail page responses (see the module docstring).
    Placed last, so every other middleware still runs for a page served from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = learning_settings.LEARNING_PAGE_CACHE_SECONDS
        if not seconds or not _may_use_cache(request):
            return self.get_response(request)
        key = _cache_key(request, current_generation())
        entry = cache.get(key)
        if entry is not None:
            status, content, headers = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _may_store(request, response):
            headers = [(name, value) for name, value in response.items() if name != HEADER]
            cache.set(key, (response.status_code, response.content, headers), seconds)
            response[HEADER] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        request._page_cache_wagtail_page = view_func is serve
        return None
