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
from django.db.models import Q
from django.utils import translation
from wagtail.models import Locale


def i18n_enabled():
    return getattr(settings, "WAGTAIL_I18N_ENABLED", False)


def default_locale_id():
    return Locale.get_default().pk


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
    code = Locale.objects.filter(pk=page.locale_id).values_list("language_code", flat=True)
    return code.first() or settings.LANGUAGE_CODE


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


def translated_url(page, language_code, request=None):
    """The URL of ``page``'s live version in ``language_code``, as served in that language
    (``page``'s own URL when there is no such version)."""
    target = page
    if i18n_enabled():
        try:
            locale = Locale.objects.get_for_language(language_code)
        except (Locale.DoesNotExist, LookupError):
            locale = None
        if locale is not None and locale.pk != page.locale_id:
            version = page.get_translation_or_none(locale)
            if version is not None and version.live:
                target = version
    with translation.override(language_code):
        return target.get_url(request)


def localized_map(pages):
    """``{page.pk: its live version in the active language, else the page}`` for
    ``pages`` of one class, in two queries at most (lists of canonical records shown to a
    person in their language, such as "My learning")."""
    pages = list(pages)
    if not pages or not i18n_enabled():
        return {page.pk: page for page in pages}
    locale = Locale.get_active()
    versions = {
        version.translation_key: version
        for version in type(pages[0])
        .objects.live()
        .filter(translation_key__in={page.translation_key for page in pages}, locale=locale)
        .exclude(pk__in=[page.pk for page in pages if page.locale_id == locale.pk])
    }
    return {page.pk: versions.get(page.translation_key, page) for page in pages}


def in_active_language(queryset):
    """``queryset`` (pages) with one version of each page: the active language's where it
    is live, else the default language's. For lists of pages (catalogue, home page,
    upcoming webinars, menus), so that a page does not appear once per language."""
    if not i18n_enabled():
        return queryset
    default_id = default_locale_id()
    try:
        active = Locale.get_active()
    except Locale.DoesNotExist:
        return queryset
    if active.pk == default_id:
        return queryset.filter(locale_id=default_id)
    translated = queryset.model.objects.live().filter(locale=active).values("translation_key")
    return queryset.filter(
        Q(locale=active) | (Q(locale_id=default_id) & ~Q(translation_key__in=translated))
    )
