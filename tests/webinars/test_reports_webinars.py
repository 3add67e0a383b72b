"""Reports › Webinars: figures against hand-computed expectations, scope, filters and
exports."""

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.factories import UserFactory
from learning.migration_utils import GROUP_ORGANIZERS
from webinars import services
from webinars.factories import (
    RegistrationFactory,
    RegistrationQuestionFactory,
    SpeakerFactory,
    WebinarPageFactory,
    WebinarSeriesPageFactory,
)
from webinars.models import Registration, RegistrationQuestion

pytestmark = pytest.mark.django_db
INDEX = reverse("webinar_reports:index")


def organizer_user(**profile):
    user = UserFactory(**{f"profile__{key}": value for key, value in profile.items()})
    user.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    return user


def sector(webinar):
    return RegistrationQuestionFactory(
        page=webinar,
        label="Sector",
        kind=RegistrationQuestion.Kind.SINGLE,
        choices="Government\nAcademia\nNGO",
    )


@pytest.fixture
def season():
    """Two sessions of one series (hand-computed figures in the tests), one of another."""
    organizer = organizer_user(time_zone="Europe/Paris")
    series = WebinarSeriesPageFactory(title="KM4B", organizers=[organizer])
    speaker = SpeakerFactory(name="Xavier Speaker")
    moderator = SpeakerFactory(name="Dana Both")
    w1 = WebinarPageFactory(
        parent=series,
        title="Session one",
        capacity=2,
        start=datetime(2027, 3, 10, 12, tzinfo=UTC),
        end=datetime(2027, 3, 10, 13, 30, tzinfo=UTC),
        speakers=[speaker],
    )
    # 23:30 UTC on 31 March is 1 April, 01:30 in Paris (summer time).
    w2 = WebinarPageFactory(
        parent=series,
        title="Session two",
        start=datetime(2027, 3, 31, 23, 30, tzinfo=UTC),
        end=datetime(2027, 4, 1, 1, tzinfo=UTC),
        speakers=[speaker],
        moderator=moderator,
    )
    q1, q2 = sector(w1), sector(w2)
    a = UserFactory(profile__country="KE")
    b = UserFactory(profile__country="SN")
    c = UserFactory(profile__country="BR")
    d = UserFactory(profile__country="FR", profile__full_name="Dana Both")
    ra = services.register(w1, a, {q1.key: "Government"})
    rb = services.register(w1, b, {q1.key: "Academia"})
    rc = services.register(w1, c, {q1.key: "NGO"})
    assert rc.status == Registration.Status.WAITLISTED
    services.cancel_registration(rb, b)  # C is promoted
    services.register(w2, a, {q2.key: "Academia"})
    services.register(w2, d, {q2.key: "Academia"})
    # An import said A (60 min) and C (30 min) attended W1; the organizer corrected C.
    Registration.objects.filter(pk=ra.pk).update(attended=True, attended_minutes=60)
    Registration.objects.filter(pk=rc.pk).update(attended=True, attended_minutes=30)
    services.mark_attendance(Registration.objects.get(pk=rc.pk), organizer, attended=False)
    Registration.objects.filter(webinar=w2, user=a).update(attended=True, attended_minutes=45)
    Registration.objects.filter(webinar=w2, user=d).update(attended=True, attended_minutes=90)
    other_organizer = organizer_user()
    other = WebinarPageFactory(
        parent=WebinarSeriesPageFactory(organizers=[other_organizer]), title="Elsewhere"
    )
    RegistrationFactory(webinar=other)
    return {
        "organizer": organizer,
        "other_organizer": other_organizer,
        "w1": w1,
        "w2": w2,
        "other": other,
    }


def test_figures_match_hand_computed_expectations(client, season):
    client.force_login(season["organizer"])
    response = client.get(INDEX)
    assert response.status_code == 200
    headline = response.context["headline"]
    # Registrations: A, B (cancelled), C (promoted) at W1; A, D at W2.
    assert headline.sessions == 2
    assert headline.registrations == 5
    assert headline.participants == 3  # A, C, D: B cancelled, A counted once
    assert headline.attendees == 2  # A and D; C's attendance was corrected
    assert headline.speakers == 2  # Xavier at both sessions counted once, Dana
    assert headline.people == 4  # Dana Both is a speaker and a participant: once
    assert headline.countries == 3  # KE, BR, FR

    sessions = response.context["tables"][0].rows
    figures = [[str(cell) for cell in row[2:10]] for row in sessions]
    assert figures[0] == ["3", "2", "0", "0", "1", "1", "50", "60.0"]
    assert figures[1] == ["2", "2", "0", "0", "0", "2", "100", "67.5"]
    assert sessions[1][10] == "Xavier Speaker, Dana Both"
    assert "Elsewhere" not in response.content.decode()

    charts = {chart.key: chart for chart in response.context["charts"]}
    assert charts["returning"].rows == [("Session one", 2, 0), ("Session two", 1, 1)]
    regions = dict(charts["regions"].rows)  # the regions of the data migration
    assert regions["Africa"] == 1  # A (Kenya), counted once for two sessions
    assert regions["Latin America and the Caribbean"] == 1  # C (Brazil)
    assert sum(regions.values()) == 3
    assert dict(charts["countries"].rows) == {"Kenya": 1, "Brazil": 1, "France": 1}
    assert charts["answers-1"].title == "Sector"
    assert charts["answers-1"].rows == [("Academia", 2), ("Government", 1), ("NGO", 1)]
    assert sum(n for _week, n in charts["weeks"].rows) == 5
    body = response.content.decode()
    assert body.count("<svg") >= 5 and "<desc" in body


def test_date_range_is_read_in_the_viewers_time_zone(client, season):
    client.force_login(season["organizer"])
    # 31 March in Paris ends at 22:00 UTC: session two (23:30 UTC) falls on 1 April.
    response = client.get(INDEX, {"date_from": "2027-03-01", "date_to": "2027-03-31"})
    assert response.context["headline"].sessions == 1
    response = client.get(INDEX, {"date_from": "2027-04-01", "date_to": "2027-04-01"})
    assert [str(row[0]) for row in response.context["tables"][0].rows] == ["Session two"]
    response = client.get(INDEX, {"date_from": "2027-04-02", "date_to": "2027-04-01"})
    assert response.status_code == 200
    assert "The start date is after the end date." in response.content.decode()


def test_country_filter_and_drill_down_links(client, season):
    client.force_login(season["organizer"])
    response = client.get(INDEX, {"country": "KE"})
    assert response.context["headline"].participants == 1
    row = response.context["tables"][0].rows[0]
    attended = row[7]
    assert attended.value == 1
    assert attended.url.endswith(f"/{season['w1'].pk}/?attended=yes&country=KE")
    assert client.get(attended.url).status_code == 200


def test_scope_organizers_their_series_admins_all(client, season, admin_user):
    client.force_login(season["other_organizer"])
    response = client.get(INDEX)
    assert response.context["headline"].sessions == 1
    assert client.get(reverse("webinar_reports:session", args=[season["w1"].pk])).status_code == 404
    export = client.get(INDEX, {"table": "people", "export": "csv"})
    assert b"Session one" not in b"".join(export.streaming_content)

    client.force_login(UserFactory())
    assert client.get(INDEX).status_code in (302, 403)
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name="Course editors"))
    client.force_login(staff)
    response = client.get(INDEX)  # Wagtail turns the 403 into a message on the admin home
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))

    client.force_login(admin_user)
    assert client.get(INDEX).context["headline"].sessions == 3


def test_session_report(client, season):
    client.force_login(season["organizer"])
    response = client.get(reverse("webinar_reports:session", args=[season["w1"].pk]))
    assert response.status_code == 200
    assert response.context["headline"].participants == 2
    assert response.context["headline"].speakers == 1


def test_exports_csv_and_xlsx_are_formula_safe(client, season):
    evil = UserFactory(profile__full_name='=HYPERLINK("http://evil.example","x")')
    services.register(season["w2"], evil)
    client.force_login(season["organizer"])

    response = client.get(INDEX, {"table": "people", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Session", "Name", "Email"]
    assert len(rows) == 1 + 6
    assert '\'=HYPERLINK("http://evil.example","x")' in [row[1] for row in rows]

    response = client.get(INDEX, {"table": "people", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = list(sheet.iter_rows(values_only=True))
    assert len(cells) == 7
    names = [row[1] for row in cells]
    assert names[-1].startswith("=HYPERLINK")
    evil_cell = next(c for c in sheet["B"] if str(c.value).startswith("=HYPERLINK"))
    assert evil_cell.data_type == "s"  # text, never a formula

    response = client.get(INDEX, {"table": "sessions", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Session", "Start (Europe/Paris)", "Registered"]
    assert [row[0] for row in rows[1:]] == ["Session one", "Session two"]
    assert rows[1][2:8] == ["3", "2", "0", "0", "1", "1"]
    assert client.get(INDEX, {"table": "nothing", "export": "csv"}).status_code == 404


def test_query_count_does_not_grow_with_registrations(client, season):
    client.force_login(season["organizer"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INDEX).status_code == 200
        return len(queries)

    count()  # warms per-process caches (site, menus)
    before = count()
    for _ in range(15):
        services.register(season["w2"], UserFactory(profile__country="SN"))
    assert count() == before


def test_the_weekly_chart_counts_weeks_without_registrations_as_zero(client, season):
    from datetime import timedelta

    from django.utils import timezone

    earliest = Registration.objects.order_by("pk").first()
    Registration.objects.filter(pk=earliest.pk).update(
        created_at=timezone.now() - timedelta(weeks=3)
    )
    client.force_login(season["organizer"])
    charts = {chart.key: chart for chart in client.get(INDEX).context["charts"]}
    rows = charts["weeks"].rows
    assert len(rows) == 4  # three weeks ago, two weeks without, this week
    assert [week - rows[0][0] for week, _n in rows] == [timedelta(weeks=n) for n in range(4)]
    assert [n for _week, n in rows[1:3]] == [0, 0]
    assert (
        sum(n for _week, n in rows)
        == Registration.objects.filter(webinar__in=[season["w1"], season["w2"]]).count()
    )
