"""A learner takes a course in a real browser: enrols, marks a lesson done, answers the H5P
quick check in the sandboxed player, and gets the course completed and a certificate."""

import pytest

from courses.factories import build_course
from courses.models import CompletionRule, CourseCompletion, LessonCompletion
from learning.h5p import samples
from tests.learning.test_browser_h5p import (
    h5p_frame,
    hosts,
    logged_in_context,
    open_activity,
    wait_for,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

__all__ = ["hosts"]  # the fixture, used by name


def test_enrol_mark_done_play_h5p_complete_course_and_verify(
    browser, hosts, user, quick_check_content
):
    course, (reading, quiz) = build_course(
        modules=1, lessons_per_module=2, sequential=True, title="Rio synergies in practice"
    )
    quiz.completion_rule = CompletionRule.ACTIVITIES
    quiz.body = [
        ("text", "<p>One question to finish.</p>"),
        ("h5p", {"content": quick_check_content, "pass_mark": 100, "required": True}),
    ]
    quiz.save_revision().publish()

    context, _session = logged_in_context(browser, user, hosts["site"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(hosts["site"] + course.url)
        page.get_by_role("button", name="Enrol").click()
        page.wait_for_url(hosts["site"] + reading.url)
        page.get_by_role("button", name="Mark as done").click()
        page.wait_for_url(hosts["site"] + quiz.url)
        assert LessonCompletion.objects.filter(user=user, lesson=reading).exists()

        open_activity(page)
        frame = h5p_frame(page)
        frame.get_by_label(samples.DEFAULT_ANSWERS[0]).check()
        frame.get_by_role("button", name="Check").click()
        completion = wait_for(
            lambda: CourseCompletion.objects.filter(user=user, course=course).first()
        )
        assert completion is not None and completion.certificate is not None

        page.goto(hosts["site"] + "/dashboard/")
        page.get_by_role("link", name="Public verification page").click()
        assert page.get_by_text("This certificate is valid.").is_visible()
        assert page.get_by_text("Rio synergies in practice").is_visible()
    finally:
        context.close()
