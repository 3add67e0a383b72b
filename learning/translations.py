"""Pages in several languages: the one rule by which their data is shared.

A page translated with Wagtail (``wagtail.contrib.simple_translation``) has one version per
locale, all sharing a ``translation_key``. The version in the default locale
(``LANGUAGE_CODE``) is the *canonical* page; when a page has no version there, it is its
own canonical page. Enrolments, lesson and course completions, webinar registrations,
certificates and reports are stored against the canonical page only, so that a learner who
enrols on the French version of a course is enrolled in the English one, and the other way
round. Services resolve pages with ``canonical`` before they read or write such data.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

# ``{language_code: locale pk}``: locales change only when an administrator adds one
# (``learning.receivers`` forgets it then), and pages ask for them on every request.
LOCALES_CACHE_KEY = "learning:locale-ids"


def i18n_enabled():
    return getattr(settings, "WAGTAIL_I18N_ENABLED", False)


def _locale_ids():
    return cache.get_or_set(
        LOCALES_CACHE_KEY,
        lambda: dict(Locale.objects.values_list("language_code", "pk")),
        timeout=3600,
    )


def forget_locales():
    cache.delete(LOCALES_CACHE_KEY)


def locale_id(language_code):
    """The pk of the locale serving ``language_code`` (None when there is none)."""
    try:
        code = get_supported_content_language_variant(language_code)
    except LookupError:
        return None
    return _locale_ids().get(code)


def default_locale_id():
    return locale_id(settings.LANGUAGE_CODE)


def active_locale_id():
    language = translation.get_language() or settings.LANGUAGE_CODE
    return locale_id(language) or default_locale_id()


def canonical(page):
    """The version of ``page`` in the default locale (``page`` itself when it is that
    version or has none). Keeps the page's class."""
    if page is None or not i18n_enabled():
        return page
    default_id = default_locale_id()
    if page.locale_id == default_id:
        return page
    source = (
        type(page)
        .objects.filter(translation_key=page.translation_key, locale_id=default_id)
        .first()
    )
    return source or page


def canonical_map(pages):
    """``{page.pk: canonical page}`` for ``pages`` of one class, in two queries at most."""
    pages = list(pages)
    if not pages or not i18n_enabled():
        return {page.pk: page for page in pages}
    default_id = default_locale_id()
    others = [page for page in pages if page.locale_id != default_id]
    sources = {}
    if others:
        model = type(others[0])
        sources = {
            source.translation_key: source
            for source in model.objects.filter(
                translation_key__in={page.translation_key for page in others},
                locale_id=default_id,
            )
        }
    return {page.pk: sources.get(page.translation_key, page) for page in pages}


def language_of(page):
    """The language code of ``page``'s locale (``LANGUAGE_CODE`` when i18n is off)."""
    if page is None or not i18n_enabled():
        return settings.LANGUAGE_CODE
    codes = {pk: code for code, pk in _locale_ids().items()}
    return codes.get(page.locale_id, settings.LANGUAGE_CODE)


def shown_in_other_language(page):
    """The language of ``page``'s content when it differs from the interface language
    (its translation is missing), else None."""
    if page is None or not i18n_enabled():
        return None
    language = language_of(page)
    active = translation.get_language() or settings.LANGUAGE_CODE
    if translation.get_supported_language_variant(active) == language:
        return None
    return language


def version_in(page, language_code):
    """``page``'s live version in ``language_code``, else ``page``: the words shown to one
    person in their language (emails, calendar invitations), while dates, seats and the
    records stay the canonical page's."""
    if page is None or not i18n_enabled():
        return page
    target = locale_id(language_code)
    if target is None or target == page.locale_id:
        return page
    version = page.get_translation_or_none(target)
    return version if version is not None and version.live else page


def translated_url(page, language_code, request=None):
    """The URL of ``page``'s live version in ``language_code``, as served in that language
    (``page``'s own URL when there is no such version)."""
    with translation.override(language_code):
        return version_in(page, language_code).get_url(request)


def localized_map(pages):
    """``{page.pk: its live version in the active language, else the page}`` for
    ``pages`` of one class, in one query at most (lists of canonical records shown to a
    person in their language, such as "My learning")."""
    pages = list(pages)
    if not pages or not i18n_enabled():
        return {page.pk: page for page in pages}
    active = active_locale_id()
    others = [page for page in pages if page.locale_id != active]
    if not others:
        return {page.pk: page for page in pages}
    versions = {
        version.translation_key: version
        for version in type(pages[0])
        .objects.live()
        .filter(translation_key__in={page.translation_key for page in others}, locale_id=active)
    }
    return {page.pk: versions.get(page.translation_key, page) for page in pages}


def in_active_language(queryset):
    """``queryset`` (pages) with one version of each page: the active language's where it
    is live, else the default language's. For lists of pages (catalogue, home page,
    upcoming webinars, menus), so that a page does not appear once per language."""
    if not i18n_enabled():
        return queryset
    default_id, active = default_locale_id(), active_locale_id()
    if active == default_id:
        return queryset.filter(locale_id=default_id)
    translated = queryset.model.objects.live().filter(locale_id=active).values("translation_key")
    return queryset.filter(
        Q(locale_id=active) | (Q(locale_id=default_id) & ~Q(translation_key__in=translated))
    )


def canonical_only(queryset):
    """``queryset`` (pages) with only canonical pages: those in the default locale, and
    those with no version in it. For reports, summaries, admin lists and scheduled tasks,
    which count and show each page once whatever its number of languages (their data is
    stored against the canonical page). One subquery; ``queryset`` unchanged when i18n
    is off."""
    if not i18n_enabled():
        return queryset
    from wagtail.models import Page

    default_id = default_locale_id()
    if default_id is None:
        return queryset
    in_default = Page.objects.filter(locale_id=default_id).values("translation_key")
    return queryset.filter(Q(locale_id=default_id) | ~Q(translation_key__in=in_default))
