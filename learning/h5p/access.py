"""Who may take an H5P activity (a content placed on a page).

The base rule always applies: the learner is signed in, the page is live and its
published content embeds that H5P content in an "H5P activity" block. Other apps then
have their say through the ``learning_h5p_access`` hook, so `learning` never imports them:

    @hooks.register("learning_h5p_access")
    def lesson_access(user, content, page):
        return None  # True (allow), False (deny) or None (no opinion)

``page`` may be a plain ``Page`` rather than its specific class (the statement endpoint
takes it from the cache): test ``page.specific_class`` first and load ``page.specific``
only for the page types the hook cares about. Any False denies. The player token is
issued, the player page served and statements accepted only when access is granted.

Editors of a page may also play its activities in preview (``may_preview``): the player
then keeps no resume state and the page sends no statements, so nothing they do counts
as learner progress.
"""

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from wagtail import blocks, hooks
from wagtail.fields import StreamField
from wagtail.models import Page

ACCESS_HOOK = "learning_h5p_access"
PLACEMENTS_CACHE_SECONDS = 24 * 60 * 60
# Targets are dropped by ``forget_targets`` on every publish, unpublish, move or delete of
# a page and every change of H5P content; the expiry only bounds a change made behind
# Wagtail's back (a queryset update).
TARGETS_CACHE_SECONDS = 5 * 60
TARGETS_GENERATION_KEY = "learning:h5p:targets-generation"


@dataclass(frozen=True)
class PlacedActivity:
    """An "H5P activity" block found in a page's published content."""

    content_id: int
    pass_mark: int | None
    required: bool


def page_activities(page):
    """Every H5P activity block of ``page``'s published content, in page order, read from
    the raw StreamField data (no query per block)."""
    from learning.blocks import H5PActivityBlock

    page = page.specific
    found = []
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            stream = getattr(page, field.name)
            raw = getattr(stream, "raw_data", None)
            if raw is None:
                continue
            _walk(field.stream_block, list(raw), H5PActivityBlock, found)
    return found


def _walk(block, raw, activity_class, found):
    if isinstance(block, activity_class):
        if isinstance(raw, dict) and raw.get("content"):
            pass_mark = raw.get("pass_mark")
            found.append(
                PlacedActivity(
                    content_id=int(raw["content"]),
                    pass_mark=int(pass_mark) if pass_mark not in (None, "") else None,
                    required=bool(raw.get("required", True)),
                )
            )
    elif isinstance(block, blocks.StreamBlock):
        for item in raw or []:
            if isinstance(item, dict):
                child = block.child_blocks.get(item.get("type"))
                if child is not None:
                    _walk(child, item.get("value"), activity_class, found)
    elif isinstance(block, blocks.ListBlock):
        for item in raw or []:
            # ListBlock data is a list of {"type": "item", "value": ..., "id": ...} since
            # Wagtail 2.16; plain values in older content.
            value = item.get("value") if isinstance(item, dict) and "type" in item else item
            _walk(block.child_block, value, activity_class, found)
    elif isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            _walk(child, raw.get(name), activity_class, found)


def published_activities(page):
    """``page_activities`` of the published revision, cached until the next publish (the
    key holds the live revision), so the statement endpoint does not parse StreamFields."""
    if not page.live_revision_id or not page.last_published_at:
        return page_activities(page)
    published = page.last_published_at.timestamp()
    key = f"learning:h5p:placements:{page.pk}:{page.live_revision_id}:{published}"
    found = cache.get(key)
    if found is None:
        found = page_activities(page)
        cache.set(key, found, PLACEMENTS_CACHE_SECONDS)
    return found


def placement(page, content):
    """The first activity block of ``page`` embedding ``content``, or None."""
    content_id = getattr(content, "pk", content)
    for activity in published_activities(page):
        if activity.content_id == content_id:
            return activity
    return None


@dataclass(frozen=True)
class Target:
    """What an activity IRI points at: the content (with its current version), the page
    (a plain ``Page``) and the activity block placing one on the other. Any may be None."""

    content: object
    page: Page | None
    placed: PlacedActivity | None


def targets(pairs):
    """``{(page_id, content_id): Target}`` for each pair, so that statements about an
    activity already seen cost no database query to resolve: from the shared cache, else
    the database. The keys hold the current generation, which ``forget_targets`` replaces
    whenever pages or contents change."""
    generation = cache.get(TARGETS_GENERATION_KEY)
    if generation is None:
        cache.add(TARGETS_GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(TARGETS_GENERATION_KEY)
    keys = {pair: f"learning:h5p:target:{generation}:{pair[0]}:{pair[1]}" for pair in pairs}
    found = cache.get_many(list(keys.values()))
    missing = [pair for pair, key in keys.items() if key not in found]
    if missing:
        from learning.models import H5PContent

        contents = H5PContent.objects.select_related("current_version").in_bulk(
            {content_id for _page_id, content_id in missing}
        )
        pages = Page.objects.in_bulk({page_id for page_id, _content_id in missing})
        fresh = {}
        for page_id, content_id in missing:
            content, page = contents.get(content_id), pages.get(page_id)
            placed = placement(page, content) if content and page else None
            fresh[keys[page_id, content_id]] = Target(content, page, placed)
        cache.set_many(fresh, TARGETS_CACHE_SECONDS)
        found.update(fresh)
    return {pair: found[key] for pair, key in keys.items()}


def forget_targets():
    """Drop every cached ``Target`` (a new generation of keys), now and after commit."""

    def new_generation():
        cache.set(TARGETS_GENERATION_KEY, uuid.uuid4().hex, None)

    new_generation()
    transaction.on_commit(new_generation)


def may_take(user, content, page, *, placed=None):
    """Whether ``user`` may play ``content`` on ``page`` and have it tracked.

    ``placed`` is the result of ``placement(page, content)`` when the caller already has it.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if page is None or not page.live:
        return False
    if placed is None:
        placed = placement(page, content)
    if placed is None:
        return False
    return all(answer is not False for answer in _hook_answers(user, content, page))


def may_preview(user, page):
    """Whether ``user`` may try the activities of ``page`` untracked: whoever may edit the
    page (its draft and Wagtail's preview included), whether or not it is live."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if page is None or getattr(page, "pk", None) is None:
        return False
    return page.permissions_for_user(user).can_edit()


def _hook_answers(user, content, page):
    for hook in hooks.get_hooks(ACCESS_HOOK):
        yield hook(user, content, page)
