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

Signed-in pages are never stored here: each viewer has copies of their own
(``learning.personal_page_cache``, served by the same middleware). What every viewer
shares is kept here too, under the same generation and setting, so the same changes drop
it:

- the route: the site and the page a path leads to, per host and language
  (``_use_cached_route``), so that a page costs one query to find instead of one or two
  per level of the tree;
- shared fragments (``shared_fragment``): HTML that is the same for everyone who sees it
  in a host, language and time zone (the main menu, the home page's public sections, a
  syllabus for the marks it shows). Nothing personal; one that holds a CSRF token, or
  belongs to a preview, is not stored;
- values derived from pages only (``cached_for_pages``: a course's modules and lessons).
"""

import hashlib
import secrets
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from wagtail.signals import page_published, page_unpublished, post_page_move

from learning import personal_page_cache as personal
from learning.conf import learning_settings

GENERATION_KEY = "learning:pages:generation"
CSRF_FIELD = "csrfmiddlewaretoken"
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
    """Drop every cached page: now, and again when the current transaction commits (out
    of a transaction the change is committed already: once is enough)."""
    _new_generation()
    if transaction.get_connection().in_atomic_block:
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
            "learning:page:2",  # 2: entries hold (status, content, headers, nonce)
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
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False  # the page started a session (its cookie is set on the way out)
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.used or len(messages)):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in _NOT_STORED_CACHE_CONTROL):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _hashed(text):
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _pages_key(key):
    return f"learning:pages:{current_generation()}:{key}"


def cached_for_pages(key, compute):
    """``compute()``, kept in the cache under ``key`` until the pages change (the
    generation) or ``LEARNING_PAGE_CACHE_SECONDS`` pass: for values derived from pages
    only, the same for every viewer (a course's modules and lessons)."""
    seconds = learning_settings.LEARNING_PAGE_CACHE_SECONDS
    if not seconds:
        return compute()
    key = _pages_key(key)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def shared_fragment(request, name, render):
    """``render()``: safe HTML that is the same for everyone who sees it in this host,
    language and time zone, kept like ``cached_for_pages`` (as the ``SafeString`` it is).
    For parts of a page that show no personal data (no user, no message, no form): a
    fragment holding a CSRF token is never stored, nor any fragment of a preview."""
    seconds = learning_settings.LEARNING_PAGE_CACHE_SECONDS
    if not seconds or getattr(request, "is_preview", False):
        return render()
    key = _pages_key(
        ":".join(
            [
                "fragment",
                request.get_host() if request is not None else "",
                translation.get_language() or "",
                timezone.get_current_timezone_name(),
                name,
            ]
        )
    )
    html = cache.get(key)
    if html is None:
        html = render()
        if CSRF_FIELD not in html:
            cache.set(key, html, seconds)
    return html


def _route_key(request, path):
    return ":".join(
        [
            "route",
            request.get_host(),
            str(request.get_port()),
            translation.get_language() or "",
            _hashed(path),
        ]
    )


def _use_cached_route(request, path):
    """Hand Wagtail the site and the page ``path`` leads to when they are known:
    ``Site.find_for_request`` and ``Page.route_for_request`` keep their answers in
    ``request._wagtail_site`` and ``request._wagtail_route_for_request`` and read them
    from there. The cache holds the site and the page's model and id, not the page: it
    is read afresh (one query). Otherwise Wagtail routes as usual and the middleware
    keeps the answer afterwards."""
    from wagtail.url_routing import RouteResult

    key = _pages_key(_route_key(request, path))
    entry = cache.get(key)
    if entry is not None:
        site, model_label, page_id = entry
        page = apps.get_model(model_label)._default_manager.filter(pk=page_id).first()
        if page is not None:
            request._wagtail_site = site
            request._wagtail_route_for_request = RouteResult(page)
            return
    request._page_cache_route_key = key


def _remember_route(request, seconds):
    """Keep the route Wagtail found for this request: only a plain one (a page, no view
    arguments; not a routable page's sub-view)."""
    key = getattr(request, "_page_cache_route_key", None)
    site = getattr(request, "_wagtail_site", None)
    result = getattr(request, "_wagtail_route_for_request", None)
    if key is None or site is None or result is None or result.args or result.kwargs:
        return
    cache.set(key, (site, result.page._meta.label_lower, result.page.pk), seconds)


def changes_at(request, moment):
    """What this page shows changes at ``moment`` by the clock alone (registration closes,
    joining opens): no copy of it, anonymous or a viewer's, outlives that moment."""
    if moment is None or request is None:
        return
    until = getattr(request, "_page_cache_until", None)
    if until is None or moment < until:
        request._page_cache_until = moment


def _lifetime(request, seconds):
    """Seconds an entry for this response may be kept: at most ``seconds``, and not past
    the moment the page changes by the clock. 0: not at all."""
    until = getattr(request, "_page_cache_until", None)
    if until is None:
        return seconds
    return max(0, min(seconds, int((until - timezone.now()).total_seconds())))


def _response_from(entry, request=None):
    status, content, headers, nonce = entry
    if nonce is not None:
        content = personal.fill_holes(request, content, nonce)
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[HEADER] = "hit"
    return response


def _store(key, request, response, seconds, nonce=None):
    seconds = _lifetime(request, seconds)
    if not seconds:
        return
    headers = [(name, value) for name, value in response.items() if name != HEADER]
    cache.set(key, (response.status_code, response.content, headers, nonce), seconds)
    response[HEADER] = "miss"


class PageCacheMiddleware:
    """Serves and stores Wagtail page responses: anonymous ones for everyone (see the
    module docstring), signed-in ones for their viewer (``learning.personal_page_cache``).
    Placed last, so every other middleware still runs for a page served from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = learning_settings.LEARNING_PAGE_CACHE_SECONDS
        if not seconds:
            return self.get_response(request)
        if _may_use_cache(request):
            return self._anonymous(request, seconds)
        user_id = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user_id = personal.viewer_id(request)
        if user_id is not None:
            return self._signed_in(request, user_id, seconds)
        if request.method not in personal.SAFE_METHODS and request.user.is_authenticated:
            request._personal_page_user = request.user.pk
        response = self.get_response(request)
        _remember_route(request, seconds)
        personal.changed_by(request)
        return response

    def _anonymous(self, request, seconds):
        key = _cache_key(request, current_generation())
        entry = cache.get(key)
        if entry is not None:
            return _response_from(entry)
        response = self.get_response(request)
        _remember_route(request, seconds)
        if _may_store(request, response):
            _store(key, request, response, seconds)
        return response

    def _signed_in(self, request, user_id, seconds):
        key = personal.cache_key(request, user_id, current_generation())
        entry = cache.get(key)
        if entry is not None:
            return _response_from(entry, request)
        request._personal_page_key = key
        response = self.get_response(request)
        _remember_route(request, seconds)
        nonce = getattr(request, "_personal_page_nonce", None)
        if nonce is not None:
            if personal.may_keep(request, response):
                _store(key, request, response, seconds, nonce)
            if not response.streaming:
                response.content = personal.fill_holes(request, response.content, nonce)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        request._page_cache_wagtail_page = view_func is serve
        if view_func is serve and learning_settings.LEARNING_PAGE_CACHE_SECONDS:
            path = view_kwargs.get("path", view_args[0] if view_args else "")
            _use_cached_route(request, path)
            if hasattr(request, "_personal_page_key"):
                # Rendered for keeping: secrets go in as placeholders (``personal.hole``).
                request._personal_page_nonce = secrets.token_hex(16)
        return None
