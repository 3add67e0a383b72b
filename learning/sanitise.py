"""The one place where text that did not come from Wagtail's rich-text editor becomes HTML.

Organizers, trainers and editors type plain text into fields such as a registration
question's help text. Django renders a form field's ``help_text`` unescaped, so such text
must pass through here first: a short allow-list of inline formatting and links (http,
https and mailto) survives, every other tag is stripped and the rest is escaped. bleach is
the sanitiser the project declared for this (pure Python, html5lib-based, allow-list
first); Wagtail's own rich text keeps Wagtail's whitelist.
"""

import bleach
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset({"a", "abbr", "b", "br", "code", "em", "i", "strong"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "abbr": ["title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _links_open_safely(attrs, new=False):
    # An organizer's link leaves the site: no referrer, no window.opener.
    attrs[(None, "rel")] = "noopener noreferrer nofollow"
    return attrs


def sanitise_html(value) -> SafeString:
    """``value`` with only the allowed inline tags kept and everything else escaped."""
    cleaned = bleach.clean(
        "" if value is None else str(value),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    cleaned = bleach.linkify(cleaned, callbacks=[_links_open_safely], parse_email=False)
    return mark_safe(cleaned)  # noqa: S308 - sanitised by bleach just above
