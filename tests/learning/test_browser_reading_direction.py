"""Issue 12, "Reading right": a learner who reads Arabic (or Chinese) sees the interface of
the home, catalogue, course, lesson, webinar and My learning pages in their language, laid
out in its direction, while what editors wrote (titles, names, rich text, here in English)
keeps its own direction and language without scrambling the sentences it is put in.

The interface text is what is left of a page's visible text (plus labels read aloud and
button values) once content is set aside: content is what the templates mark as such,
``<bdi>`` around values, ``dir="auto"`` on blocks of content, ``data-content``, and any
element whose ``lang`` is not the page's. Product names and addresses stay in Latin letters
in every language and are not counted."""

import re
import unicodedata

import pytest

from courses import services as course_services
from courses.factories import CourseIndexPageFactory, build_course
from learning.demo import build_home_page
from learning.factories import UserFactory
from webinars.factories import RegistrationFactory, SpeakerFactory, WebinarPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_LATIN_SHARE = 0.02
PRODUCT_NAMES = re.compile(
    r"\b(H5P|KM4B|xAPI|PDF|CSV|XLSX|JWT|PNG|Open Badges|LinkedIn|Zoom|Teams|BigBlueButton"
    r"|Google|Outlook|iCalendar|ics)\b"
)
ADDRESSES = re.compile(r"(https?://|www\.)\S+|\S+@\S+")

# The text a reader sees or hears outside content: text nodes that are rendered (or hidden
# for sighted readers only), labels and values of controls, with the marker of each.
COLLECT_TEXT = """() => {
  const pageLang = document.documentElement.lang.toLowerCase();
  const isContent = (el) => {
    if (el.closest('bdi, [dir="auto"], [data-content]')) return true;
    const tagged = el.closest('[lang]');
    return tagged !== document.documentElement && tagged.lang.toLowerCase() !== pageLang;
  };
  const ui = [], content = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement, text = node.textContent.trim();
    if (!text || el.closest('script, style, noscript, template')) continue;
    if (!el.closest('option, .visually-hidden') && !el.checkVisibility()) continue;
    (isContent(el) ? content : ui).push(text);
  }
  for (const el of document.querySelectorAll(
      '[aria-label], [placeholder], [title], img[alt], input[type=submit][value]')) {
    if (isContent(el)) continue;
    for (const name of ['aria-label', 'placeholder', 'title', 'alt', 'value'])
      if (el.hasAttribute(name) && (name !== 'value' || el.type === 'submit'))
        ui.push(el.getAttribute(name));
  }
  return {ui, content};
}"""


def latin_share(texts):
    """(share of Latin letters among all letters, the Latin words found)."""
    text = PRODUCT_NAMES.sub(" ", ADDRESSES.sub(" ", " ".join(texts)))
    letters = [char for char in text if char.isalpha()]
    latin = [char for char in letters if unicodedata.name(char, "").startswith("LATIN")]
    words = sorted(set(re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]+", text)))
    return (len(latin) / len(letters) if letters else 0.0), words


@pytest.fixture
def pages(live_server):
    """Home, catalogue, course, lesson, webinar and My learning of a learner who is half
    way through a course, has a certificate and a seat at a webinar; content in English."""
    home = build_home_page()
    catalogue = CourseIndexPageFactory(parent=home, title="Course catalogue")
    course, lessons = build_course(
        modules=1,
        lessons_per_module=3,
        parent=catalogue,
        title="Knowledge management for biodiversity",
        summary="Capture and share what national teams learn.",
    )
    for lesson, title in zip(
        lessons, ("Why KM matters", "Mapping knowledge", "Sharing it"), strict=True
    ):
        lesson.title = title
        lesson.save_revision().publish()
    finished, (only_lesson,) = build_course(
        modules=1, lessons_per_module=1, parent=catalogue, title="Rio conventions in practice"
    )
    webinar = WebinarPageFactory(
        title="Open data for national reports",
        speakers=[SpeakerFactory(name="Amina Diallo", affiliation="SCBD")],
    )

    def learner(language, name):
        user = UserFactory(profile__preferred_language=language, profile__full_name=name)
        course_services.enrol(course, user)
        course_services.complete_lesson(lessons[0], user)
        course_services.enrol(finished, user)
        course_services.complete_lesson(only_lesson, user)  # a certificate on My learning
        RegistrationFactory(webinar=webinar, user=user)
        return user

    return {
        "learner": learner,
        "paths": {
            "home": "/",
            "catalogue": catalogue.url,
            "course": course.url,
            "lesson": lessons[1].url,
            "webinar": webinar.url,
            "dashboard": "/dashboard/",
        },
        "course": course,
        "lessons": lessons,
    }


@pytest.mark.parametrize(
    ("language", "name", "direction"),
    [("ar", "ليلى حسن", "rtl"), ("zh-hans", "王芳", "ltr")],
)
def test_interface_reads_in_the_learners_language_and_content_keeps_its_own(
    page_as, live_server, pages, language, name, direction
):
    user = pages["learner"](language, name)
    page = page_as(user)
    shares, failures = {}, []
    for label, path in pages["paths"].items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == (language, direction)

        texts = page.evaluate(COLLECT_TEXT)
        share, words = latin_share(texts["ui"])
        shares[label] = share
        print(f"\n{language} {label}: Latin share of the interface text {share:.2%}")
        if share > MAX_LATIN_SHARE:
            failures.append(f"{label}: {share:.1%} Latin, words {words}")

        # The language switcher names each language in itself, in its own language and
        # direction.
        arabic = page.locator("#language-select option[value=ar]")
        assert (arabic.get_attribute("lang"), arabic.get_attribute("dir")) == ("ar", "rtl")
        chinese = page.locator("#language-select option[value=zh-hans]")
        assert (chinese.get_attribute("lang"), chinese.get_attribute("dir")) == ("zh-hans", "ltr")
        # Every English title on the page is isolated (in <bdi> or a dir=auto block).
        assert texts["content"], label

    print(
        f"\nLatin share of the interface text ({language}): "
        + ", ".join(f"{label} {share:.2%}" for label, share in shares.items())
    )
    assert not failures, failures

    course, lessons = pages["course"], pages["lessons"]
    # The course page: the course's language badge is English, marked as English; the
    # counts in the progress sentence are isolated numbers; titles are in <bdi>.
    page.goto(live_server.url + course.url)
    badge = page.locator(".badge [lang=en]")
    assert badge.inner_text() == "English"
    assert badge.get_attribute("dir") == "ltr"
    assert page.locator("h1 bdi").inner_text() == course.title
    assert page.locator("label[for=course-progress] bdi").all_inner_texts() == ["1", "3"]
    assert page.locator(".syllabus bdi", has_text="Mapping knowledge").count() == 1
    # The dashboard: the course and the certificate's title are isolated.
    page.goto(live_server.url + "/dashboard/")
    assert page.locator("#my-courses-heading ~ ul bdi", has_text=course.title).count() == 1
    # The webinar: the speaker's name and organisation are isolated.
    page.goto(live_server.url + pages["paths"]["webinar"])
    assert page.locator(".card h3 bdi").inner_text() == "Amina Diallo"
    # "تقويم Google · Outlook": each calendar link keeps its words together.
    isolation = page.locator(".calendar-links a").evaluate_all(
        "links => links.map(link => getComputedStyle(link).unicodeBidi)"
    )
    assert set(isolation) == {"isolate"}
    # The lesson: previous and next point the way the page reads (mirrored in Arabic).
    page.goto(live_server.url + lessons[1].url)
    assert page.locator("a[rel=prev] bdi").inner_text() == lessons[0].title
    transform = page.locator("a[rel=prev] .arrow").evaluate("el => getComputedStyle(el).transform")
    assert (transform == "matrix(-1, 0, 0, 1, 0, 0)") == (direction == "rtl"), transform
    prev_box = page.locator("a[rel=prev]").bounding_box()
    next_box = page.locator(".lesson-nav [rel=next], .lesson-nav [aria-disabled]").bounding_box()
    # Previous is where reading starts: on the right in Arabic, on the left in Chinese.
    assert (prev_box["x"] > next_box["x"]) == (direction == "rtl")
