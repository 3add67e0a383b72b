"""A learner finishes the last lesson of a course in a real browser and lands on the
course-complete state: congratulations, the certificate (downloaded for real), its public
verification link, the next course, and no "Leave this course"."""

import pytest

from courses.factories import build_course
from courses.models import CourseCompletion
from tests.learning.test_browser_h5p import logged_in_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_last_lesson_done_shows_congratulations_certificate_and_next_course(
    browser, live_server, user
):
    site = live_server.url
    course, (lesson,) = build_course(modules=1, lessons_per_module=1, title="Théorie du changement")
    follow_up, _lessons = build_course(modules=1, lessons_per_module=1, title="Suivi et évaluation")
    follow_up.prerequisites.add(course)
    follow_up.save_revision().publish()

    context, _session = logged_in_context(browser, user, site)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(site + course.url)
        page.get_by_role("button", name="Enrol").click()
        page.wait_for_url(site + lesson.url)
        page.get_by_role("button", name="Mark as done").click()
        page.wait_for_url(site + course.url)

        assert page.get_by_text("Congratulations! You completed this course.").is_visible()
        participation = page.locator(".enrolment")
        assert participation.get_by_text("Congratulations!", exact=True).is_visible()
        assert page.get_by_role("button", name="Leave this course").count() == 0
        next_link = participation.get_by_role("link", name="Suivi et évaluation")
        assert next_link.get_attribute("href") == follow_up.url

        certificate = CourseCompletion.objects.get(user=user, course=course).certificate
        verify = participation.get_by_role("link", name="Public verification page")
        assert verify.get_attribute("href") == certificate.get_verification_path()

        with page.expect_download() as download_info:
            participation.get_by_role("link", name="Download your certificate (PDF)").click()
        download = download_info.value
        assert download.suggested_filename == f"certificate-{certificate.code}.pdf"
        with open(download.path(), "rb") as pdf:
            body = pdf.read()
        assert body.startswith(b"%PDF-") and len(body) > 1000
        response = page.request.get(site + f"/certificates/{certificate.code}.pdf")
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("attachment;")
        assert response.body().startswith(b"%PDF-")

        verify.click()
        assert page.get_by_text("This certificate is valid.").is_visible()

        page.goto(site + course.url)
        page.locator(".enrolment").get_by_role("link", name="Suivi et évaluation").click()
        page.wait_for_url(site + follow_up.url)
        assert page.get_by_role("button", name="Enrol").is_visible()
    finally:
        context.close()
