"""Signed-in pages kept for their viewer: a signed-in learner asking again for a page they
have just seen (the course they follow, the webinar they registered for, the home page)
gets the copy rendered for them, until anything it shows changes.

Who sees a copy: only the session it was rendered for. The key holds the viewer's user id,
a hash of their session key, the host, path, language and time zone, and two tokens:

- the page cache's generation (``learning.page_cache``): every change a page may show to
  anyone (publish, move, a registration, a schedule change...) replaces it;
- the viewer's own token (``viewer_token``): replaced when the viewer sends anything but a
  GET or HEAD (they enrolled, completed a lesson, registered, changed a preference...),
  when a row that names them is saved or deleted (any foreign key to the user model: an
  enrolment confirmed by an editor, a certificate issued by the worker, attendance), when
  their groups or permissions change, and by ``forget_viewer`` for changes made behind the
  ORM's signals. Like the generation it is replaced at once and again on commit.

Secrets are never stored: a page rendered for keeping carries a placeholder where a CSRF
token or a personal join link goes (``hole``), and every response, fresh or from the
cache, gets the real value put in at the last moment: a newly masked CSRF token, the join
link looked up again for the viewer. The placeholder holds a random token made for that
rendering, so no content can forge one.

What is not kept: a response that is not a 200, is streamed, sets a cookie, changed the
session, shows or leaves a message, used a CSRF token other than through the placeholder,
or comes from a page class with ``keep_for_signed_in = False`` (a lesson records the visit
on every GET);
previews are not Wagtail ``serve`` views and are never kept. Entries expire after
``LEARNING_PAGE_CACHE_SECONDS``, or sooner when a page says its content changes with the
clock (``page_cache.changes_at``: a webinar when joining opens or registration closes).
"""

import hashlib
import re
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.db.models import ForeignKey, OneToOneField
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from learning.conf import learning_settings

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_HOLES = {}


def _viewer_key(user_id):
    return f"learning:viewer:{user_id}:pages"


def viewer_token(user_id):
    """The viewer's current token; a new one when there is none. It may expire: that can
    only turn entries into misses (their key holds the old token)."""
    key = _viewer_key(user_id)
    token = cache.get(key)
    if token is None:
        token = secrets.token_hex(6)
        if not cache.add(key, token, learning_settings.LEARNING_PAGE_CACHE_SECONDS):
            token = cache.get(key, token)
    return token


def _replace_tokens(user_ids):
    seconds = learning_settings.LEARNING_PAGE_CACHE_SECONDS
    cache.set_many({_viewer_key(user_id): secrets.token_hex(6) for user_id in user_ids}, seconds)


def forget_viewer(*user_ids):
    """Drop the pages kept for these users: now, and again when the transaction commits
    (a request that read the old rows in between may have kept them under the new token)."""
    user_ids = {user_id for user_id in user_ids if user_id is not None}
    if not user_ids or not learning_settings.LEARNING_PAGE_CACHE_SECONDS:
        return
    _replace_tokens(user_ids)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _replace_tokens(user_ids))


# Rows that name a user: found once per model class, from its foreign keys.
_USER_FIELDS = {}
_NOT_SHOWN = set()


def not_shown_on_pages(*models):
    """Rows of these models name a user but no page shows them (the xAPI statement log,
    the audit trail): saving one drops nothing. What they lead to (progress, completions)
    is shown and is saved in rows of its own."""
    _NOT_SHOWN.update(models)


def _user_fields(model):
    fields = _USER_FIELDS.get(model)
    if fields is None:
        user_model = settings.AUTH_USER_MODEL.lower()
        fields = ()
        if model not in _NOT_SHOWN:
            fields = tuple(
                field.attname
                for field in model._meta.concrete_fields
                if isinstance(field, ForeignKey | OneToOneField)
                and field.related_model._meta.label_lower == user_model
            )
            if model._meta.label_lower == user_model:
                fields = ("pk", *fields)
        _USER_FIELDS[model] = fields
    return fields


def _row_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    fields = _user_fields(sender)
    if fields:
        forget_viewer(*(getattr(instance, name) for name in fields))


def _memberships_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    from django.contrib.auth import get_user_model

    if isinstance(instance, get_user_model()):
        forget_viewer(instance.pk)
    elif model is get_user_model():
        forget_viewer(*(pk_set or ()))
    elif isinstance(instance, Group):
        # A group's permissions: every member's header and pages may change.
        forget_viewer(*instance.user_set.values_list("pk", flat=True))


def connect_signals():
    """Called once at start-up (``learning.apps``)."""
    from django.contrib.auth import get_user_model

    post_save.connect(_row_changed, weak=False, dispatch_uid="personal_pages_saved")
    post_delete.connect(_row_changed, weak=False, dispatch_uid="personal_pages_deleted")
    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(
            _memberships_changed,
            sender=through,
            weak=False,
            dispatch_uid=f"personal_pages_m2m_{through._meta.label_lower}",
        )


# Holes: what a kept page must not hold, put in for each response.


def personal_part(name):
    """Register ``render(request, argument) -> str`` as the hole called ``name``."""

    def register(render):
        _HOLES[name] = render
        return render

    return register


@personal_part("csrf")
def _csrf_token(request, argument):
    return get_token(request)


def hole(request, name, argument="", value=None):
    """What goes in hole ``name`` of this response: a placeholder when the page is being
    rendered for keeping, otherwise ``value`` (a string) or what the hole's renderer gives."""
    nonce = getattr(request, "_personal_page_nonce", None)
    if nonce is not None:
        return f"{nonce}.{name}.{argument}."
    return value if value is not None else _HOLES[name](request, argument)


def fill_holes(request, content, nonce):
    pattern = re.compile(re.escape(nonce).encode() + rb"\.([a-z]+)\.([0-9]*)\.")
    return pattern.sub(
        lambda match: _HOLES[match.group(1).decode()](request, match.group(2).decode()).encode(),
        content,
    )


# The middleware's part (``learning.page_cache.PageCacheMiddleware``).


def viewer_id(request):
    """The signed-in user's id when this request may be answered from, or kept in, the
    viewer's cache; otherwise ``None``."""
    if request.method != "GET" or request.COOKIES.get("messages"):
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session = request.session
    if session.session_key is None or "_messages" in session:
        return None
    return user.pk


def cache_key(request, user_id, generation):
    session = hashlib.sha256(request.session.session_key.encode()).hexdigest()[:16]
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return ":".join(
        [
            "learning:mine",
            generation,
            viewer_token(user_id),
            str(user_id),
            session,
            request.scheme,
            request.get_host(),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            path,
        ]
    )


def may_keep(request, response):
    """Whether the response rendered for keeping may be stored (see the module docstring).
    Asked before the holes are filled: a CSRF token used by then reached the page another
    way than the placeholder, or the viewer's CSRF cookie was unreadable and is replaced."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if request.session.modified:
        return False  # the rendering changed the session: a copy would skip that
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.used or len(messages)):
        return False
    result = getattr(request, "_wagtail_route_for_request", None)
    page = getattr(result, "page", None)
    return page is not None and getattr(page, "keep_for_signed_in", True)


def changed_by(request):
    """After a request that may have changed what its user sees: their pages go."""
    if request.method in SAFE_METHODS:
        return
    user = getattr(request, "user", None)
    user_id = getattr(request, "_personal_page_user", None)
    forget_viewer(user_id, user.pk if user is not None and user.is_authenticated else None)
