"""On a 320 px phone the learner's pages fit the screen: no sideways scrolling on the
dashboard (with its private calendar URL), the course and the lesson pages, and a header
that leaves the screen to the content. Plus what every page shows in any browser: a focus
ring with enough contrast, a favicon, and time zones the browser understands."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from courses import services
from courses.factories import build_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 320, "height": 640}


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(first, second):
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _rgb(css_color):
    return tuple(int(part) for part in re.findall(r"\d+", css_color)[:3])


def _logged_in(browser, user, site, **options):
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}]
    )
    return context


def test_dashboard_course_and_lesson_pages_fit_a_320_px_phone(browser, live_server, user):
    site = live_server.url
    course, lessons = build_course(
        modules=2,
        lessons_per_module=2,
        sequential=True,
        title="Knowledge management for biodiversity: capturing what teams learn",
    )
    done, _done_lessons = build_course(
        modules=1, lessons_per_module=1, title="Théorie du changement"
    )
    services.enrol(course, user)
    services.complete_lesson(lessons[0], user)
    services.enrol(done, user)
    services.complete_lesson(_done_lessons[0], user)  # a certificate on the dashboard

    context = _logged_in(browser, user, site, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        widths = {}
        for name, path in (
            ("dashboard", "/dashboard/"),
            ("course", course.url),
            ("lesson", lessons[1].url),
        ):
            response = page.goto(site + path)
            assert response.status == 200, path
            widths[name] = page.evaluate("document.documentElement.scrollWidth")
        assert page.url == site + lessons[1].url  # the lesson opened, not a redirect
        assert widths == {"dashboard": 320, "course": 320, "lesson": 320}

        page.goto(site + "/dashboard/")
        assert page.get_by_text("Your private calendar feed").is_visible()
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 0.25 * PHONE["height"], header
        # The menu is one line that scrolls sideways inside the header.
        assert page.get_by_role("link", name="My learning").is_visible()
    finally:
        context.close()


def test_focus_ring_favicon_and_time_zones_work_in_the_browser(browser, live_server, admin_user):
    site = live_server.url
    context = _logged_in(browser, admin_user, site)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors, hosts = [], set()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    try:
        page.goto(site + "/dashboard/")
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")  # the brand
        assert page.evaluate("document.activeElement.className") == "brand"
        outline = page.evaluate(
            "(() => { const style = getComputedStyle(document.activeElement);"
            " return [style.outlineStyle, style.outlineWidth, style.outlineColor]; })()"
        )
        assert outline[0] == "solid" and float(outline[1].rstrip("px")) >= 2
        assert _contrast(_rgb(outline[2]), (255, 255, 255)) >= 3
        header_background = page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        )
        assert _contrast(_rgb(outline[2]), _rgb(header_background)) >= 3

        favicon = page.request.get(site + "/favicon.ico")
        assert favicon.status == 200
        assert favicon.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
        assert favicon.body()[:4] == b"\x00\x00\x01\x00"

        # Wagtail's account page formats every offered zone with the browser's Intl API
        # and shows the person's avatar.
        page.goto(site + "/admin/account/")
        page.wait_for_load_state("networkidle")
        refused = page.evaluate(
            "names => names.filter(name => {"
            " try { new Intl.DateTimeFormat('en', {timeZone: name}); return false; }"
            " catch (error) { return true; } })",
            list(settings.WAGTAIL_USER_TIME_ZONES),
        )
        assert refused == []
        assert errors == []
        assert not any("gravatar" in (host or "") for host in hosts), hosts
        avatar = page.locator(".avatar img").first.get_attribute("src")
        assert "gravatar" not in avatar
    finally:
        context.close()
