"""Registering in a real browser: without JavaScript, and with the browser's time zone."""

import pytest

from learning.factories import UserFactory
from webinars.factories import RegistrationQuestionFactory, WebinarPageFactory
from webinars.models import Registration

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_register_and_cancel_without_javascript(page_as, live_server):
    webinar = WebinarPageFactory(capacity=1)
    user = UserFactory()
    page = page_as(user, java_script_enabled=False)
    page.goto(live_server.url + webinar.url)
    page.click("text=Register")
    assert "Your seat is confirmed" in page.inner_text("main")
    assert "Your join page" in page.inner_text("main")
    assert webinar.join_url not in page.content()

    page.click("text=Cancel my registration")
    # A confirmation step first, without JavaScript: nothing is cancelled yet.
    assert Registration.objects.get(user=user).status == "confirmed"
    assert "next person on the waitlist" in page.inner_text("main")
    page.get_by_role("button", name="Yes, cancel my registration").click()
    assert "Your registration is cancelled" in page.inner_text("main")
    assert Registration.objects.get(user=user).status == "cancelled"


def test_times_follow_the_browsers_time_zone(page_as, live_server):
    webinar = WebinarPageFactory()
    page = page_as(UserFactory(), timezone_id="Asia/Kolkata")
    page.context.add_cookies([{"name": "tz", "value": "Asia/Kolkata", "url": live_server.url}])
    page.goto(live_server.url + webinar.url)
    when = page.inner_text("dd >> nth=0")
    assert "Asia/Kolkata" in when


def test_an_empty_required_answer_keeps_the_webinar_page_and_focuses_the_question(
    page_as, live_server
):
    webinar = WebinarPageFactory(title="Sharing what works")
    question = RegistrationQuestionFactory(page=webinar, label="Your organisation", required=True)
    user = UserFactory()
    page = page_as(user)
    field_id = f"id_registration-{question.key}"
    page.goto(live_server.url + webinar.url)
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    # Still the webinar's page (title, When/Where), the error listed and linked, and
    # the question focused.
    assert page.get_by_role("heading", name="Sharing what works").is_visible()
    error_link = page.locator(f'.errorlist[role="alert"] a[href="#{field_id}"]')
    assert "This field is required" in error_link.inner_text()
    assert page.evaluate("document.activeElement.id") == field_id
    assert not Registration.objects.exists()

    page.fill(f"#{field_id}", "Ministry of Environment")
    page.get_by_role("button", name="Register").click()
    page.get_by_text("Your seat is confirmed").wait_for()
    assert Registration.objects.get(user=user).answers == {question.key: "Ministry of Environment"}
