"""Reports › Workshops: per region, against hand-computed expectations (downloads recorded
one by one, the edge of the period in the viewer's zone), scope, query counts, exports."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.factories import (
    WorkshopMaterialFactory,
    WorkshopPageFactory,
    WorkshopParticipantFactory,
)
from learning.models import MaterialDownload, Profile, WorkshopMaterial
from learning.reports.tables import Link, plain
from learning.workshops import services
from tests.html import visible_text

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fixtures_workshops"]
URL = reverse("workshop_reports:index")
YEAR = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def download(material, when, times=1):
    for _n in range(times):
        services.record_download(material)
    latest = MaterialDownload.objects.filter(material=material).order_by("-pk")[:times]
    MaterialDownload.objects.filter(pk__in=[d.pk for d in latest]).update(downloaded_at=when)


@pytest.fixture
def regions(workshop_index, africa, asia, trainer_africa):
    Profile.objects.filter(user=trainer_africa).update(time_zone="Pacific/Auckland")  # UTC+13
    nairobi = WorkshopPageFactory(
        parent=workshop_index, region=africa, start_date=date(2026, 5, 4), end_date=date(2026, 5, 6)
    )
    old = WorkshopPageFactory(
        parent=workshop_index, region=africa, start_date=date(2025, 5, 4), end_date=date(2025, 5, 6)
    )
    bangkok = WorkshopPageFactory(
        parent=workshop_index, region=asia, start_date=date(2026, 9, 1), end_date=date(2026, 9, 3)
    )
    WorkshopParticipantFactory(workshop=nairobi, email="amina@example.org")
    WorkshopParticipantFactory(workshop=nairobi, email="kofi@example.org")
    WorkshopParticipantFactory(workshop=bangkok, email="somchai@example.org")
    WorkshopParticipantFactory(workshop=old, email="last-year@example.org")
    slides = WorkshopMaterialFactory(
        workshop=nairobi, kind="slides", language="en", title="Nairobi slides"
    )
    WorkshopMaterialFactory(workshop=nairobi, kind="handout", language="fr")
    old_slides = WorkshopMaterialFactory(
        workshop=old, kind="slides", language="en", title="Old slides"
    )
    asia_slides = WorkshopMaterialFactory(workshop=bangkok, kind="slides", language="en")
    download(slides, datetime(2026, 5, 5, 9, tzinfo=UTC), times=3)
    download(old_slides, datetime(2026, 2, 1, 9, tzinfo=UTC))  # last year's material, this year
    download(old_slides, datetime(2025, 12, 31, 12, tzinfo=UTC))  # 1 January 01:00 in Auckland
    download(asia_slides, datetime(2026, 9, 2, 9, tzinfo=UTC))
    return {"slides": slides}


def values(rows):
    return [[plain(cell) for cell in row] for row in rows]


def test_a_download_is_counted_and_recorded_with_its_region(regions, africa):
    slides = WorkshopMaterial.objects.get(pk=regions["slides"].pk)
    assert slides.download_count == 3
    assert MaterialDownload.objects.filter(material=slides, region=africa).count() == 3


def test_a_trainer_sees_their_region_in_the_period_of_their_zone(client, regions, trainer_africa):
    client.force_login(trainer_africa)
    response = client.get(URL, YEAR)
    assert response.status_code == 200
    # Nairobi only (not last year's workshop); 3 + 1 + the one of 1 January in Auckland.
    assert values(response.context["tables"][0].rows) == [["Africa", 1, 2, 2, 5]]
    charts = {chart.key: chart for chart in response.context["charts"]}
    assert dict(charts["kinds"].rows) == {"Slides": 1, "Handout": 1}
    assert sum(n for _week, n in charts["downloads-weeks"].rows) == 5
    assert "Pacific/Auckland" in response.content.decode()

    french = client.get(URL, {**YEAR, "language": "fr"})
    assert values(french.context["tables"][0].rows) == [["Africa", 1, 2, 1, 0]]


def test_the_weekly_downloads_chart_shows_weeks_without_downloads_as_zero(
    client, regions, trainer_africa
):
    client.force_login(trainer_africa)

    def weeks(period):
        response = client.get(URL, period)
        return next(c for c in response.context["charts"] if c.key == "downloads-weeks").rows

    # Auckland's weeks: 1 January 2026 (a Thursday) is in the week of Monday 29 December,
    # 31 December 2026 in that of Monday 28 December; downloads in three of the weeks.
    year = weeks(YEAR)
    mondays = [date(2025, 12, 29) + timedelta(weeks=n) for n in range(53)]
    assert [week for week, _n in year] == mondays
    assert {week: n for week, n in year if n} == {
        date(2025, 12, 29): 1,
        date(2026, 1, 26): 1,  # 1 February, 22:00 in Auckland (a Sunday)
        date(2026, 5, 4): 3,
    }
    # Weeks without downloads on both sides of the one with some.
    february = weeks({"date_from": "2026-01-20", "date_to": "2026-02-15"})
    assert february == [
        (date(2026, 1, 19), 0),
        (date(2026, 1, 26), 1),
        (date(2026, 2, 2), 0),
        (date(2026, 2, 9), 0),
    ]
    export = client.get(
        URL,
        {
            "date_from": "2026-01-20",
            "date_to": "2026-02-15",
            "table": "downloads-weeks",
            "export": "csv",
        },
    )
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:]] == ["0", "1", "0", "0"]


def test_an_administrator_sees_every_region(client, regions, admin_user):
    client.force_login(admin_user)
    table = client.get(URL, YEAR).context["tables"][0]
    rows = {row[0]: row[1:] for row in values(table.rows)}
    assert rows["Africa"] == [1, 2, 2, 4]  # in UTC, 31 December is last year
    assert rows["Asia and the Pacific"] == [1, 1, 1, 1]


def test_other_regions_are_refused(client, regions, trainer_asia, africa, learner):
    client.force_login(trainer_asia)
    response = client.get(URL, {**YEAR, "region": africa.pk})
    assert "region" in response.context["form"].errors
    assert response.context["tables"][0].rows == []
    client.force_login(learner)
    assert client.get(URL).status_code == 302


def test_query_count_does_not_grow_with_downloads(client, regions, admin_user):
    client.force_login(admin_user)

    def count():
        with CaptureQueriesContext(connection) as run:
            assert client.get(URL, YEAR).status_code == 200
        return len(run)

    count()
    before = count()
    download(regions["slides"], datetime(2026, 7, 1, tzinfo=UTC), times=5)
    WorkshopMaterialFactory(workshop=regions["slides"].workshop, kind="exercise", language="es")
    assert count() == before


def test_tables_export_as_csv(client, regions, trainer_africa):
    client.force_login(trainer_africa)
    response = client.get(URL, {**YEAR, "table": "regions", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [
        ["Region", "Workshops", "Participants", "Materials", "Downloads"],
        ["Africa", "1", "2", "2", "5"],
    ]


PEOPLE = reverse("workshop_reports:people")


def test_participants_and_downloads_lead_down_to_the_list(client, regions, trainer_africa, africa):
    client.force_login(trainer_africa)
    page = client.get(URL, YEAR)
    (row,) = page.context["tables"][0].rows
    figures = [cell for cell in row if isinstance(cell, Link)]
    figures += [value for _label, value in page.context["figures"] if isinstance(value, Link)]
    assert [figure.value for figure in figures] == [2, 5, 2, 5]
    for figure in figures:
        response = client.get(figure.url)
        assert response.status_code == 200
        assert response.context["total"] == figure.value
    people = client.get(PEOPLE, {**YEAR, "figure": "participants", "region": africa.pk})
    # Nairobi's two, not last year's workshop.
    assert sorted(row[3] for row in people.context["table"].rows) == [
        "amina@example.org",
        "kofi@example.org",
    ]
    downloads = client.get(PEOPLE, {**YEAR, "figure": "downloads", "region": africa.pk})
    rows = downloads.context["table"].rows
    assert [row[2] for row in rows] == ["Nairobi slides"] * 3 + ["Old slides"] * 2
    # Newest first, in Auckland time: 1 January 2026, 01:00 is the oldest.
    assert rows[-1][0] == datetime(2026, 1, 1, 1, 0)
    export = client.get(PEOPLE, {**YEAR, "figure": "downloads", "export": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert lines[0][0] == "Downloaded at (Pacific/Auckland)" and len(lines) == 6


def test_only_trainers_of_the_region_reach_its_list(client, regions, trainer_asia, africa, learner):
    client.force_login(trainer_asia)
    for figure in ("participants", "downloads"):
        response = client.get(PEOPLE, {**YEAR, "figure": figure, "region": africa.pk})
        assert response.status_code == 404
    mine = client.get(PEOPLE, {**YEAR, "figure": "participants"})
    assert [row[3] for row in mine.context["table"].rows] == ["somchai@example.org"]
    assert client.get(PEOPLE, {"figure": "nope"}).status_code == 404
    client.force_login(learner)
    assert client.get(PEOPLE, {"figure": "participants"}).status_code == 302


def test_the_list_runs_a_fixed_number_of_queries(client, regions, admin_user):
    client.force_login(admin_user)

    def count(figure):
        with CaptureQueriesContext(connection) as run:
            assert client.get(PEOPLE, {**YEAR, "figure": figure}).status_code == 200
        return len(run)

    count("downloads")
    before = count("downloads"), count("participants")
    download(regions["slides"], datetime(2026, 7, 1, tzinfo=UTC), times=5)
    for _n in range(4):
        WorkshopParticipantFactory(workshop=regions["slides"].workshop)
    assert (count("downloads"), count("participants")) == before


@pytest.mark.parametrize(
    ("figure", "title"),
    [
        ("participants", "Participants of the workshops of the period"),
        ("downloads", "Material downloads made in the period"),
    ],
)
def test_the_list_shows_its_title_once_as_the_page_heading(
    client, regions, trainer_africa, figure, title
):
    client.force_login(trainer_africa)
    text, soup = visible_text(client.get(PEOPLE, {**YEAR, "figure": figure}))
    assert text.count(title) == 1
    assert soup.h1.get_text(" ", strip=True) == title
