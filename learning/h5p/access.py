"""Who may take an H5P activity (a content placed on a page).

The base rule always applies: the learner is signed in, the page is live and its
published content embeds that H5P content in an "H5P activity" block. Other apps then
have their say through the ``learning_h5p_access`` hook, so `learning` never imports them:

    @hooks.register("learning_h5p_access")
    def lesson_access(user, content, page):
        return None  # True (allow), False (deny) or None (no opinion)

Any False denies. The player token is issued, the player page served and statements
accepted only when access is granted.
"""

from dataclasses import dataclass

from django.core.cache import cache
from wagtail import blocks, hooks
from wagtail.fields import StreamField

ACCESS_HOOK = "learning_h5p_access"
PLACEMENTS_CACHE_SECONDS = 24 * 60 * 60


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


def _hook_answers(user, content, page):
    for hook in hooks.get_hooks(ACCESS_HOOK):
        yield hook(user, content, page.specific)
