"""An organizer in Bogotá schedules a webinar in the Wagtail admin, in a real browser: the
times they type are the event's local times, and the public page shows them so."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group

from courses.factories import grant_page_permissions
from learning.factories import UserFactory
from learning.migration_utils import GROUP_ORGANIZERS
from webinars.factories import WebinarSeriesPageFactory
from webinars.models import WebinarPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_organizer_schedules_a_webinar_in_its_own_zone(browser, page_as, live_server):
    # Their own profile says Kolkata, their Wagtail account nothing (UTC): neither matters.
    organizer = UserFactory(profile__time_zone="Asia/Kolkata")
    organizer.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    series = WebinarSeriesPageFactory(title="KM4B season", organizers=[organizer])
    grant_page_permissions(series, GROUP_ORGANIZERS)  # as the demo does
    page = page_as(organizer)
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/pages/add/webinars/webinarpage/{series.pk}/")
    page.fill("#id_title", "Knowledge fairs in the Andes")
    assert page.inner_text("[data-webinar-zone] >> nth=0") == "Asia/Kolkata"
    page.select_option("#id_time_zone", "America/Bogota")
    # Named beside the fields as soon as it is picked.
    assert page.inner_text("[data-webinar-zone] >> nth=0") == "America/Bogota"
    page.fill("#id_start", "2027-03-10 18:15")
    page.fill("#id_end", "2027-03-10 19:45")
    page.fill("#id_join_url", "https://zoom.example.org/j/555")
    # The date picker the time fields open can stay open over the footer's buttons (a CI
    # run failed so): a click outside closes it, as it does for a person.
    page.click("#id_title")
    page.locator(".xdsoft_datetimepicker:visible").first.wait_for(state="hidden")
    more_actions = "footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']"
    page.locator(more_actions).first.click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/admin/pages/{series.pk}/")
    assert "Knowledge fairs in the Andes" in page.inner_text("main")

    webinar = WebinarPage.objects.get(title="Knowledge fairs in the Andes")
    assert webinar.live
    assert webinar.start == datetime(2027, 3, 10, 23, 15, tzinfo=UTC)

    # A visitor whose zone is unknown sees the event's own zone, named.
    visitor = browser.new_context()
    public = visitor.new_page()
    public.goto(live_server.url + webinar.url)
    when = public.inner_text("dd >> nth=0")
    visitor.close()
    assert "6:15 p.m." in when and "America/Bogota" in when
    assert "7:45 p.m." in when
