"""Issue 12, "Done when": a learner whose language is Arabic, Russian or Spanish goes in a
real browser through sign-up (language chosen in the header), the verification email,
enrolment, a lesson, a webinar registration with its email and invitation, the course's
completion and its certificate, and reads their language everywhere except in content that
has not been translated, which is marked with its own language.

At every page: ``<html lang dir>`` and, for the languages not written in Latin letters, at
most 2 % of Latin letters in the interface text (``test_browser_reading_direction``'s
measure)."""

import re
from email.utils import parseaddr

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar

from courses.factories import CourseIndexPageFactory, build_course
from learning.demo import build_home_page
from learning.factories import translate_page
from tests.learning.test_browser_reading_direction import COLLECT_TEXT, MAX_LATIN_SHARE, latin_share
from tests.learning.test_services_certificates_pdf import _letters, _text
from webinars.factories import WebinarPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TIMEOUT = 30_000
PASSWORD = "a-long-Passphrase-7"

JOURNEYS = {
    "ar": {
        "direction": "rtl",
        "name": "ليلى حسن",
        "country": "EG",
        "zone": "Africa/Cairo",
        "zone_name": "القاهرة",  # CLDR's name of the place, in the language
        "course_title": "إدارة المعارف من أجل التنوع البيولوجي",
        "lesson_titles": ("لماذا إدارة المعارف", "رسم خريطة المعارف"),
        "latin_script": False,
    },
    "ru": {
        "direction": "ltr",
        "name": "Анна Петрова",
        "country": "RU",
        "zone": "Europe/Moscow",
        "zone_name": "Москва",  # CLDR's name of the place, in the language
        "course_title": "Управление знаниями в интересах биоразнообразия",
        "lesson_titles": ("Зачем нужно управление знаниями", "Карта знаний"),
        "latin_script": False,
    },
    "es": {
        "direction": "ltr",
        "name": "María José Núñez",
        "country": "CO",
        "zone": "America/Bogota",
        "zone_name": "Bogotá",  # CLDR's name of the place, in the language
        "course_title": "Gestión del conocimiento para la biodiversidad",
        "lesson_titles": ("Por qué importa la gestión", "Mapear el conocimiento"),
        "latin_script": True,
    },
}


def say(language, message, **values):
    """``message`` as the interface says it in ``language``."""
    with translation.override(language):
        text = gettext(message)
    return text % values if values else text


def non_ascii_letters(text):
    return "".join(char for char in text if char.isalpha() and not char.isascii())


def squeeze(text):
    return " ".join(text.split())


@pytest.fixture
def site(live_server):
    """A catalogue with a course translated into the journey's language (lessons too) and
    one that is not, and a webinar; content written in English."""

    def build(language, journey):
        home = build_home_page()
        catalogue = CourseIndexPageFactory(parent=home, title="Course catalogue")
        course, lessons = build_course(
            modules=1,
            lessons_per_module=2,
            parent=catalogue,
            title="Knowledge management for biodiversity",
            summary="Capture and share what national teams learn.",
        )
        for lesson, title in zip(lessons, ("Why KM matters", "Mapping knowledge"), strict=True):
            lesson.title = title
            lesson.save_revision().publish()
        translate_page(home, language)
        translate_page(catalogue, language)
        translate_page(course, language, title=journey["course_title"])
        translate_page(lessons[0].get_parent().specific, language)
        for lesson, title in zip(lessons, journey["lesson_titles"], strict=True):
            translate_page(lesson, language, title=title)
        untranslated, _ = build_course(
            modules=1, lessons_per_module=1, parent=catalogue, title="Rio conventions in practice"
        )
        webinar = WebinarPageFactory(title="Open data for national reports")
        return {"course": course, "untranslated": untranslated, "webinar": webinar}

    return build


def check_page(page, language, journey, shares, label):
    """The page is in the journey's language and direction and its interface text is in
    its script."""
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (
        language,
        journey["direction"],
    ), label
    if journey["latin_script"]:
        return
    texts = page.evaluate(COLLECT_TEXT)
    ui = list(texts["ui"])
    # The time-zone picker's ~600 options end in their offset ("القاهرة (UTC+02:00)"), and
    # "Other" lists zones by their IANA key ("CST6CDT"); they are set aside, not counted.
    for place in page.locator("select[name=time_zone] option").all_inner_texts():
        if place.strip() in ui:
            ui.remove(place.strip())
    share, words = latin_share(ui)
    shares[label] = share
    print(f"\n{language} {label}: Latin share of the interface text {share:.2%}")
    assert share <= MAX_LATIN_SHARE, f"{label}: {share:.1%} Latin, words {words}"


def english_sentences(text, language, msgids):
    """The msgids whose English wording appears in ``text`` although the language's does
    not: untranslated interface sentences."""
    return [
        msgid
        for msgid in msgids
        if say("en", msgid) in text and say(language, msgid) != say("en", msgid)
    ]


@pytest.mark.parametrize("language", ["ar", "ru", "es"])
def test_a_learner_reads_their_language_from_sign_up_to_certificate(
    browser, live_server, site, language
):
    journey = JOURNEYS[language]
    pages = site(language, journey)
    shares = {}
    context = browser.new_context(locale="en-US", timezone_id=journey["zone"])
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    email = f"learner-{language}@example.org"
    try:
        # 1. The visitor picks their language in the header, then signs up.
        page.goto(live_server.url + "/")
        assert page.locator("html").get_attribute("lang") == "en"
        page.locator("#language-select").select_option(language)
        page.locator(".language-form button[type=submit]").click()
        page.wait_for_function(f"document.documentElement.lang === '{language}'")
        check_page(page, language, journey, shares, "home")

        page.get_by_role("link", name=say(language, "Sign up"), exact=True).click()
        page.wait_for_url("**/accounts/signup/**")
        check_page(page, language, journey, shares, "sign-up")
        page.fill("input[name=email]", email)
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        page.fill("input[name=full_name]", journey["name"])
        page.locator("select[name=country]").select_option(journey["country"])
        page.locator("select[name=preferred_language]").select_option(language)
        page.locator("select[name=time_zone]").select_option(journey["zone"])
        page.locator("input[name=privacy_consent]").check()
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url("**/accounts/confirm-email/**")
        check_page(page, language, journey, shares, "verification sent")

        # The verification email is in the language: no English sentence of the catalogue.
        (verification,) = [m for m in mail.outbox if email in m.to]
        assert journey["name"] in verification.body
        with translation.override("en"):
            english_subject = squeeze(
                render_to_string("account/email/email_confirmation_subject.txt", {})
            )
        assert squeeze(verification.subject) != english_subject, verification.subject
        if not journey["latin_script"]:
            body = verification.body.replace(journey["name"], " ").replace(email, " ")
            share, words = latin_share([verification.subject, body])
            print(f"\n{language} verification email: Latin share {share:.2%} {words}\n{body}")
            # The site's name is a product name in every language.
            words = [w for w in words if w not in ("Capacity", "Building", "Platform", "localhost")]
            assert not words, words
        link = re.search(r"https?://\S+/accounts/confirm-email/\S+", verification.body).group(0)
        page.goto(link.replace("http://testserver", live_server.url))
        check_page(page, language, journey, shares, "confirm email")
        page.locator("main form button[type=submit]").click()
        page.get_by_role("link", name=say(language, "My learning"), exact=True).wait_for()

        # 2. Enrolment: the course in the language; the untranslated one marked English.
        untranslated = pages["untranslated"]
        page.goto(live_server.url + untranslated.url)
        check_page(page, language, journey, shares, "untranslated course")
        heading = page.locator("h1 [lang=en], h1[lang=en]")
        assert heading.inner_text() == untranslated.title
        assert heading.get_attribute("dir") == "ltr"

        course = pages["course"]
        page.goto(live_server.url + course.url)
        assert page.locator("h1").inner_text() == journey["course_title"]
        assert page.locator("h1 [lang=en], h1[lang=en]").count() == 0
        check_page(page, language, journey, shares, "course")
        page.get_by_role("button", name=say(language, "Enrol"), exact=True).click()
        # Enrolling opens the first lesson, with the course's progress in the language.
        page.get_by_role("heading", name=journey["lesson_titles"][0]).wait_for()
        none_done = say(language, "%(done)s of %(total)s required lessons done", done=0, total=2)
        page.get_by_text(none_done, exact=True).wait_for()

        # 3. The first lesson, marked done: the progress sentence updates in the language.
        check_page(page, language, journey, shares, "lesson 1")
        page.get_by_role("button", name=say(language, "Mark as done"), exact=True).click()
        one_done = say(language, "%(done)s of %(total)s required lessons done", done=1, total=2)
        page.get_by_text(one_done, exact=True).wait_for()
        page.get_by_text(say(language, "Lesson marked as done.")).wait_for()
        check_page(page, language, journey, shares, "lesson 1, done")

        # 4. The webinar: registration, its email and its invitation.
        webinar = pages["webinar"]
        page.goto(live_server.url + webinar.url)
        check_page(page, language, journey, shares, "webinar")
        page.get_by_role("button", name=say(language, "Register"), exact=True).click()
        page.get_by_text(
            say(language, "Your seat is confirmed. We have emailed you.")
        ).first.wait_for()
        check_page(page, language, journey, shares, "webinar, registered")

        (confirmation,) = [m for m in mail.outbox if email in m.to and m is not verification]
        assert confirmation.subject == say(
            language, "Registration confirmed: %(title)s", title=webinar.title
        )
        assert say(language, "Your seat is confirmed for:") in confirmation.body
        # The times in the learner's zone, named in their language.
        assert journey["zone_name"] in confirmation.body
        untranslated_sentences = english_sentences(
            confirmation.body,
            language,
            [
                "Your seat is confirmed for:",
                "Your personal join link (it opens 30 minutes before the start; do not share it):",
                "The attached invitation adds the webinar to your calendar. We will remind "
                "you 24 hours and 1 hour before the start.",
            ],
        )
        assert not untranslated_sentences, untranslated_sentences
        ((filename, ics, mimetype),) = confirmation.attachments
        assert filename == "invite.ics" and mimetype.startswith("text/calendar")
        event = next(c for c in Calendar.from_ical(ics).walk("VEVENT"))
        # The invitation holds content only: the webinar's title and abstract (here in
        # English, untranslated), its page and the join link; times in UTC, which the
        # calendar shows in the recipient's zone.
        assert str(event["summary"]) == webinar.title
        assert webinar.url in str(event["description"])
        assert event["dtstart"].dt.utcoffset().total_seconds() == 0
        attendee = event["attendee"]
        assert parseaddr(str(attendee))[1].removeprefix("mailto:") == email
        assert attendee.params["cn"] == journey["name"]

        # 5. The course completed, and its certificate downloaded in the language.
        page.goto(live_server.url + course.url)
        continue_label = say(language, "Continue where you left off")
        page.get_by_role("link", name=re.compile(re.escape(continue_label))).click()
        page.get_by_role("heading", name=journey["lesson_titles"][1]).wait_for()
        check_page(page, language, journey, shares, "lesson 2")
        page.get_by_role("button", name=say(language, "Mark as done"), exact=True).click()
        # The last lesson done: back to the course page, congratulated, with the PDF.
        page.get_by_text(say(language, "Congratulations! You completed this course.")).wait_for()
        download_link = page.get_by_role(
            "link", name=say(language, "Download your certificate (PDF)"), exact=True
        )
        download_link.wait_for()
        check_page(page, language, journey, shares, "course with certificate")
        with page.expect_download() as download_info:
            download_link.click()
        with open(download_info.value.path(), "rb") as pdf:
            text = _text(pdf.read())
        # pypdf reads some shaped Arabic pairs with stray ASCII characters between their
        # letters: compare the letters of the language's script only.
        letters = _letters if journey["latin_script"] else non_ascii_letters
        for msgid in ("Certificate of completion", "has successfully completed the course"):
            assert letters(say(language, msgid)) in letters(text), (msgid, text)
            assert say("en", msgid) not in text
        assert letters(journey["name"]) in letters(text)

        page.goto(live_server.url + "/dashboard/")
        check_page(page, language, journey, shares, "my learning")
    finally:
        context.close()
    print(
        f"\nLatin share of the interface text ({language}): "
        + ", ".join(f"{label} {share:.2%}" for label, share in shares.items())
    )
