"""A learner completes an H5P lesson in a real browser and, without reloading, sees the
lesson done, the sidebar count and check mark change, the next lesson open, and follows
the "Lesson complete — continue" prompt to the next lesson."""

import pytest

from courses.factories import EnrolmentFactory, build_course
from courses.models import CompletionRule, LessonCompletion
from learning.h5p import samples
from tests.learning.test_browser_h5p import h5p_frame, hosts, logged_in_context, open_activity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

__all__ = ["hosts"]  # the fixture, used by name


def test_completing_the_activity_opens_the_next_lesson_without_reloading(
    browser, hosts, user, quick_check_content
):
    course, (quiz, following, last) = build_course(
        modules=1, lessons_per_module=3, sequential=True, title="Rio synergies in practice"
    )
    quiz.title = "Quick check"
    quiz.completion_rule = CompletionRule.ACTIVITIES
    quiz.body = [
        ("text", "<p>One question to finish.</p>"),
        ("h5p", {"content": quick_check_content, "pass_mark": 100, "required": True}),
    ]
    quiz.save_revision().publish()
    following.title = "Joint work plans"
    following.save_revision().publish()
    EnrolmentFactory(course=course, user=user)

    context, _session = logged_in_context(browser, user, hosts["site"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(hosts["site"] + quiz.url)
        sidebar = page.locator(".lesson-syllabus")
        nav = page.locator(".lesson-nav")
        assert sidebar.get_by_text("0 of 3 required lessons done").is_visible()
        assert nav.get_by_role("link", name="Joint work plans", exact=True).count() == 0
        assert sidebar.get_by_role("link", name="Joint work plans").count() == 0
        # Marks the document: a reload or navigation would lose it.
        page.evaluate("window.stillTheSamePage = true")

        open_activity(page)
        frame = h5p_frame(page)
        frame.get_by_label(samples.DEFAULT_ANSWERS[0]).check()
        frame.get_by_role("button", name="Check").click()

        prompt = page.locator("[data-lesson-status]")
        prompt.get_by_text("Lesson complete — continue").wait_for()
        assert sidebar.get_by_text("1 of 3 required lessons done").is_visible()
        assert sidebar.locator(".lesson.is-done").get_by_text("Quick check").is_visible()
        assert sidebar.get_by_role("link", name="Joint work plans").is_visible()
        assert nav.get_by_role("link", name="Joint work plans", exact=True).is_visible()
        assert page.locator("[data-lesson-done-badge]").is_visible()
        assert page.evaluate("window.stillTheSamePage") is True
        assert LessonCompletion.objects.filter(user=user, lesson=quiz).exists()

        prompt.get_by_role("link", name="Next lesson: Joint work plans").click()
        page.wait_for_url(hosts["site"] + following.url)
        assert page.get_by_role("heading", level=1, name="Joint work plans").is_visible()
        # The lesson after it stays locked: the course is taken in order.
        nav = page.locator(".lesson-nav")
        assert nav.get_by_role("link", name=last.title, exact=True).count() == 0
    finally:
        context.close()
