"""An organizer opens the series report in a real browser, filters it by a date range and
downloads the people behind the figures as XLSX."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group

from learning.factories import UserFactory
from learning.migration_utils import GROUP_ORGANIZERS
from webinars import services
from webinars.factories import WebinarPageFactory, WebinarSeriesPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_organizer_filters_the_series_report_and_downloads_xlsx(
    page_as, live_server, xlsx_download_rows
):
    organizer = UserFactory(profile__time_zone="UTC")
    organizer.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    series = WebinarSeriesPageFactory(title="KM4B season", organizers=[organizer])
    march = WebinarPageFactory(
        parent=series, title="March session", start=datetime(2027, 3, 10, 12, tzinfo=UTC)
    )
    may = WebinarPageFactory(
        parent=series, title="May session", start=datetime(2027, 5, 10, 12, tzinfo=UTC)
    )
    for index in range(3):
        services.register(march, UserFactory(profile__full_name=f"March person {index}"))
    services.register(may, UserFactory(profile__full_name="May person"))

    page = page_as(organizer, accept_downloads=True)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Webinars").click()
    page.wait_for_url("**/admin/reports/webinars/")
    assert "May session" in page.inner_text("#table-sessions")

    page.fill("#id_date_from", "2027-03-01")
    page.fill("#id_date_to", "2027-03-31")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**date_to=2027-03-31**")
    sessions = page.inner_text("#table-sessions")
    assert "March session" in sessions and "May session" not in sessions

    rows = xlsx_download_rows(page.get_by_role("link", name="XLSX").first)
    assert rows[0][:2] == ("Session", "Name")
    assert sorted(row[1] for row in rows[1:]) == [f"March person {i}" for i in range(3)]
