from functools import lru_cache

from django import template
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from learning.timezones import babel_locale, localized_place, utc_offset_label

register = template.Library()


@register.filter
def with_zone(value, zone=None):
    """Format an aware datetime in the active (or given) zone, naming the zone:
    "25 Nov 2026, 14:00 (Europe/Paris, CET)". Times are never shown without a zone."""
    if not value:
        return ""
    zone = zone or timezone.get_current_timezone()
    local = timezone.localtime(value, zone)
    text = formats.date_format(local, "DATETIME_FORMAT")
    return format_html(
        '<time datetime="{}">{} (<bdi>{}</bdi>)</time>',
        value.isoformat(),
        text,
        zone_label(local, zone),
    )


def zone_label(local, zone):
    """How a time names its zone, in the reader's language: "Europe/Paris, CET" in English
    (the key alone when it has no abbreviation of its own), elsewhere CLDR's name of the
    place and the offset from UTC: "Paris, UTC+01:00", "باريس، UTC+01:00",
    "巴黎，UTC+01:00" (the IANA key when the zone is no place: "Etc/GMT+5, UTC−05:00")."""
    key = getattr(zone, "key", str(zone))
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return _zone_label(key, translation.get_language(), local.tzname(), minutes)


@lru_cache(maxsize=4096)
def _zone_label(key, language, abbreviation, minutes):
    """``zone_label`` for one zone, language and offset: ``with_zone`` runs for every time
    a page or an email shows."""
    place = localized_place(key, language)
    if place is None and babel_locale(language) is None:
        label = key if abbreviation in (None, key) else f"{key}, {abbreviation}"
        return label.replace("_", " ")
    offset = utc_offset_label(minutes)
    place = (place or key).replace("_", " ")
    if place == offset:
        return place
    # Translators: a time's zone, after the time: "Paris, UTC+01:00".
    return _("%(place)s, %(offset)s") % {"place": place, "offset": offset}


@register.filter
def zone_name(zone):
    """A zone named alone ("Times are shown in …"), in the reader's language: CLDR's name
    of the place ("Москва", "القاهرة"), in English and for a zone that is no place its
    IANA key ("Europe/Moscow", "UTC"). Takes a zone or its name."""
    key = getattr(zone, "key", str(zone))
    return localized_place(key, translation.get_language()) or key


@register.filter
def bdi(value):
    """A value isolated from the sentence it is put in (a name, a title, a code, a number):
    an English title inside an Arabic sentence, or a count beside Arabic words, keeps its
    own direction and does not reorder the words around it. For ``{% blocktranslate with
    title=course.title|bdi %}``, where the msgid cannot hold the markup itself."""
    return format_html("<bdi>{}</bdi>", value)


@register.simple_tag
def language_name(code):
    """A language named in itself ("Français", "العربية", "简体中文"), marked with its own
    ``lang`` and ``dir`` so that it is read and laid out as that language on any page."""
    info = translation.get_language_info(code)
    return format_html(
        '<span lang="{}" dir="{}">{}</span>',
        code,
        "rtl" if info["bidi"] else "ltr",
        info["name_local"],
    )


@register.simple_tag(takes_context=True)
def main_menu_pages(context):
    """Live pages directly under the site's root page that editors marked "show in menus"."""
    from wagtail.models import Site

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    from wagtail.models import Page

    from learning.translations import active_locale_id, in_active_language

    home = site.root_page
    pages = home.get_children().live().public().in_menu()
    active = active_locale_id()
    if active != home.locale_id:
        # In another language, the menu holds the pages under both home pages, each once:
        # in that language where it is translated.
        localized = Page.objects.live().filter(
            translation_key=home.translation_key, locale_id=active
        )
        if localized := localized.first():
            pages = pages | localized.get_children().live().public().in_menu()
    return in_active_language(pages).specific(defer=True)


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The header's menu items (``<li>`` of ``main_menu_pages``), the same for every viewer
    in a host and language: kept as a shared fragment until the pages change."""
    from learning.page_cache import shared_fragment

    request = context.get("request")

    def render():
        return format_html_join(
            "",
            '<li><a href="{}"><bdi>{}</bdi></a></li>',
            ((page.url, page.title) for page in main_menu_pages(context)),
        )

    return shared_fragment(request, "main-menu", render)


@register.simple_tag(takes_context=True)
def shared_include(context, template_name, key, **values):
    """``{% include template_name with values %}``, kept as a shared fragment
    (``learning.page_cache.shared_fragment``) under ``key`` and ``values`` (a page by its
    pk): for a part of a page that shows only pages and what ``key`` and ``values`` name,
    so that everyone with the same key sees the same HTML. The template says so."""
    from learning.page_cache import shared_fragment

    def render():
        with context.push(**values):
            return context.template.engine.get_template(template_name).render(context)

    parts = [template_name, str(key)]
    parts += [f"{name}={getattr(value, 'pk', value)}" for name, value in sorted(values.items())]
    return shared_fragment(context.get("request"), ":".join(parts), render)


@register.simple_tag
def language_options():
    """The language switcher's ``<option>`` elements, the active language selected: each
    language named in itself, with its own ``lang`` and ``dir``."""
    return _language_options(translation.get_language())


@lru_cache(maxsize=32)
def _language_options(current):
    # Built once per language and process: LANGUAGES is fixed while the process runs.
    infos = [translation.get_language_info(code) for code, _name in settings.LANGUAGES]
    return format_html_join(
        "",
        '<option value="{}" lang="{}" dir="{}"{}>{}</option>',
        (
            (
                info["code"],
                info["code"],
                "rtl" if info["bidi"] else "ltr",
                " selected" if info["code"] == current else "",
                info["name_local"],
            )
            for info in infos
        ),
    )


@register.simple_tag(takes_context=True)
def linkedin_add_url(context, certificate):
    """LinkedIn's "Add licence or certification" address for a certificate, naming the
    organisation of the certificate's design (its course's or series' own, else the site's)."""
    from wagtail.models import Site

    from learning.certificates.credentials import linkedin_add_url as build_url
    from learning.certificates.files import design_for_certificate, designs_for_site

    request = context.get("request")
    # One page lists many certificates: the designs are read once per request.
    designs = getattr(request, "_learning_certificate_designs", None)
    if designs is None:
        designs = designs_for_site(Site.find_for_request(request) if request else None)
        if request is not None:
            request._learning_certificate_designs = designs
    return build_url(certificate, design=design_for_certificate(certificate, designs=designs))


@register.simple_tag
def content_dir(page):
    """The attributes of an element holding ``page``'s own text (title, summary, body):
    the content's ``lang`` and ``dir`` when it is shown in another language than the
    interface (its translation is missing), else ``dir="auto"``. Only the content is
    marked: the interface around it keeps the page's language and direction."""
    marked = content_language(page)
    if marked is None:
        return format_html(' dir="{}"', "auto")
    return format_html(' lang="{}" dir="{}"', marked["lang"], marked["dir"])


@register.simple_tag
def content_language(page):
    """``{"lang": ..., "dir": ...}`` when ``page``'s content is in another language than the
    interface (its translation is missing), else None: the template marks that region."""
    from django.utils.translation import get_language_bidi, get_language_info

    from learning.translations import shown_in_other_language

    language = shown_in_other_language(page) if hasattr(page, "translation_key") else None
    if language is None:
        return None
    try:
        bidi = get_language_info(language)["bidi"]
    except KeyError:
        bidi = get_language_bidi()
    return {"lang": language, "dir": "rtl" if bidi else "ltr"}
