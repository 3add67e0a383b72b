"""Reports › Programme summary: the figures a secretariat quotes, against hand-computed
expectations, each section limited to what the viewer manages."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.factories import CoursePageFactory, EnrolmentFactory
from courses.models import CourseCompletion
from learning.factories import (
    CertificateFactory,
    UserFactory,
    WorkshopMaterialFactory,
    WorkshopPageFactory,
    WorkshopParticipantFactory,
)
from learning.migration_utils import GROUP_ORGANIZERS
from learning.models import MaterialDownload
from webinars.factories import (
    RegistrationFactory,
    SpeakerFactory,
    WebinarPageFactory,
    WebinarSeriesPageFactory,
)
from webinars.models import Registration

pytestmark = pytest.mark.django_db
URL = reverse("programme_summary:index")
pytest_plugins = ["tests.fixtures_workshops"]


def at(year, month, day, hour=12):
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def programme(africa, asia, workshop_index):
    organizer = UserFactory(profile__time_zone="UTC")
    organizer.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    series = WebinarSeriesPageFactory(title="KM4B", organizers=[organizer])
    speaker = SpeakerFactory(name="Xavier Speaker")
    w1 = WebinarPageFactory(
        parent=series, start=at(2026, 3, 10), end=at(2026, 3, 10, 13), speakers=[speaker]
    )
    w2 = WebinarPageFactory(
        parent=series, start=at(2026, 6, 1), end=at(2026, 6, 1, 13), speakers=[speaker]
    )
    future = WebinarPageFactory(parent=series, start=at(2027, 5, 1), end=at(2027, 5, 1, 13))
    kenya = UserFactory(profile__country="KE")
    brazil = UserFactory(profile__country="BR")
    france = UserFactory(profile__country="FR")
    japan = UserFactory(profile__country="JP")
    RegistrationFactory(webinar=w1, user=kenya, attended=True, attended_minutes=50)
    RegistrationFactory(webinar=w1, user=brazil, status=Registration.Status.CANCELLED)
    RegistrationFactory(webinar=w2, user=kenya, attended=True, attended_minutes=40)
    RegistrationFactory(webinar=w2, user=france)
    RegistrationFactory(webinar=future, user=japan)  # not held yet: not counted

    course = CoursePageFactory(title="KM for biodiversity")
    EnrolmentFactory(course=course, user=kenya, enrolled_at=at(2026, 2, 1))
    EnrolmentFactory(course=course, user=japan, enrolled_at=at(2026, 4, 1))
    EnrolmentFactory(course=course, user=brazil, enrolled_at=at(2025, 12, 1))  # before
    certificate = CertificateFactory(user=kenya)
    CourseCompletion.objects.create(
        course=course,
        user=kenya,
        started_at=at(2026, 2, 1),
        completed_at=at(2026, 2, 20),
        certificate=certificate,
    )

    nairobi = WorkshopPageFactory(
        parent=workshop_index,
        region=africa,
        start_date=date(2026, 5, 4),
        end_date=date(2026, 5, 6),
        venue_country="KE",
    )
    bangkok = WorkshopPageFactory(
        parent=workshop_index,
        region=asia,
        start_date=date(2026, 9, 1),
        end_date=date(2026, 9, 3),
        venue_country="TH",
    )
    old = WorkshopPageFactory(  # the year before: not counted
        parent=workshop_index,
        region=africa,
        start_date=date(2025, 5, 4),
        end_date=date(2025, 5, 6),
    )
    WorkshopParticipantFactory(workshop=nairobi, user=kenya)
    WorkshopParticipantFactory(workshop=nairobi, user=UserFactory(profile__country="SN"))
    WorkshopParticipantFactory(workshop=bangkok, user=japan)
    # The all-time counters (7, 2, 1, 40) are not the period's downloads: the records are.
    slides = WorkshopMaterialFactory(
        workshop=nairobi, kind="slides", language="en", download_count=7
    )
    handout = WorkshopMaterialFactory(
        workshop=nairobi, kind="handout", language="fr", download_count=2
    )
    thai = WorkshopMaterialFactory(workshop=bangkok, kind="slides", language="en", download_count=1)
    last_year = WorkshopMaterialFactory(workshop=old, kind="slides", download_count=40)
    downloaded(slides, datetime(2026, 5, 5, 9, tzinfo=UTC), times=3)
    downloaded(slides, datetime(2025, 12, 30, 9, tzinfo=UTC))  # before the range
    downloaded(handout, datetime(2026, 5, 6, 9, tzinfo=UTC))
    downloaded(last_year, datetime(2026, 3, 1, 9, tzinfo=UTC), times=2)  # an old material
    downloaded(thai, datetime(2026, 9, 2, 9, tzinfo=UTC))
    return {"organizer": organizer}


def downloaded(material, when, times=1):
    for _n in range(times):
        record = MaterialDownload.objects.create(material=material, region=material.workshop.region)
        MaterialDownload.objects.filter(pk=record.pk).update(downloaded_at=when)


def figures(response):
    return {
        (section.key, str(label)): value
        for section in response.context["sections"]
        for label, value in section.figures
    }


YEAR = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def test_an_administrator_sees_every_section_with_hand_computed_figures(
    client, programme, admin_user
):
    client.force_login(admin_user)
    response = client.get(URL, YEAR)

    assert response.status_code == 200
    got = figures(response)
    assert got[("webinars", "Webinar sessions held")] == 2
    assert got[("webinars", "Participants (each person once)")] == 2  # Kenya, France
    assert got[("webinars", "Attended (each person once)")] == 1  # Kenya, twice
    assert got[("webinars", "Speakers and moderators")] == 1
    assert got[("courses", "Enrolments")] == 2  # Kenya, Japan (Brazil enrolled in 2025)
    assert got[("courses", "Course completions")] == 1
    assert got[("courses", "Certificates issued (not revoked)")] == 1
    assert got[("workshops", "Workshops")] == 2  # the 2025 workshop is outside the range
    assert got[("workshops", "Workshop participants")] == 3
    assert got[("workshops", "Materials")] == 3
    assert got[("workshops", "Material downloads")] == 7  # 3 + 1 + 2 + 1 made in 2026
    # KE, FR (webinars); KE, JP (courses); KE, TH venues and KE, SN, JP participants.
    assert got[("reach", "Countries reached")] == 5
    reach = dict(next(s for s in response.context["sections"] if s.key == "reach").charts[0].rows)
    assert reach["Africa"] == 2  # Kenya, Senegal
    assert reach["Asia and the Pacific"] == 2  # Japan, Thailand
    assert got[("reach", "Regions reached")] == 3  # with France under "Other"
    workshops = next(s for s in response.context["sections"] if s.key == "workshops")
    per_region = {row[0]: row[1:] for row in workshops.tables[0].rows}
    assert per_region["Africa"] == [1, 2, 2, 6]
    assert per_region["Asia and the Pacific"] == [1, 1, 1, 1]
    body = response.content.decode()
    assert body.count("<svg") >= 4


def test_an_empty_range_counts_nothing_and_a_reversed_range_is_named(client, programme, admin_user):
    client.force_login(admin_user)
    response = client.get(URL, {"date_from": "2024-01-01", "date_to": "2024-01-31"})
    assert set(figures(response).values()) == {0}
    response = client.get(URL, {"date_from": "2026-12-31", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "The start date is after the end date." in response.content.decode()


def test_each_role_sees_its_own_section_only(client, programme, trainer_africa, learner):
    client.force_login(programme["organizer"])
    response = client.get(URL, YEAR)
    assert [s.key for s in response.context["sections"]] == ["webinars", "reach"]

    client.force_login(trainer_africa)
    response = client.get(URL, YEAR)
    assert [s.key for s in response.context["sections"]] == ["workshops", "reach"]
    got = figures(response)
    assert got[("workshops", "Workshops")] == 1  # Nairobi only, not Bangkok
    assert got[("workshops", "Material downloads")] == 6

    client.force_login(learner)
    assert client.get(URL).status_code in (302, 403)
    client.logout()
    assert client.get(URL).status_code == 302


def test_the_figures_export_as_csv_and_xlsx(client, programme, admin_user):
    client.force_login(admin_user)
    response = client.get(URL, {**YEAR, "export": "csv", "table": "figures"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Figure", "Value"]
    assert ["Regional workshops", "Material downloads", "7"] in rows
    response = client.get(URL, {**YEAR, "export": "xlsx", "table": "workshops-regions"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(URL, {**YEAR, "export": "csv", "table": "nope"}).status_code == 404


def test_the_page_is_in_the_viewers_language(client, programme, admin_user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(admin_user)
    body = client.get(URL, YEAR).content.decode()
    assert "Synthèse du programme" in body
    assert "Pays atteints" in body


def pdf_text(content):
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\x00", "")  # pypdf reads CJK runs' two-byte codes with NULs


def test_the_summary_downloads_as_a_pdf_with_the_page_figures(client, programme, admin_user):
    client.force_login(admin_user)
    response = client.get(URL, {**YEAR, "export": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="programme-summary-2026-01-01-2026-12-31.pdf"' in response["Content-Disposition"]
    )
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Programme summary" in text
    for title in ("Webinars", "Self-paced courses", "Regional workshops"):
        assert title in text
    assert "Material downloads 7" in text.replace("\n", " ")
    assert "Countries reached 5" in text.replace("\n", " ")
    assert "Asia and the Pacific" in text  # a chart and its data table


def admin_in(language, admin_user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = language  # the admin's language setting
    profile.save()


def test_the_pdf_is_in_the_viewers_language(client, programme, admin_user):
    admin_in("fr", admin_user)
    client.force_login(admin_user)
    text = pdf_text(client.get(URL, {**YEAR, "export": "pdf"}).content)
    assert "Synthèse du programme" in text
    assert "Regional workshops" not in text

    admin_in("zh-hans", admin_user)
    content = client.get(URL, {**YEAR, "export": "pdf"}).content
    assert "方案摘要" in pdf_text(content)

    admin_in("ar", admin_user)
    content = client.get(URL, {**YEAR, "export": "pdf"}).content
    assert content.startswith(b"%PDF-") and b"NotoSansArabic" in content
    assert "Programme summary" not in text


def test_the_pdf_is_refused_to_people_without_a_section(client, programme, learner):
    client.force_login(learner)
    assert client.get(URL, {"export": "pdf"}).status_code in (302, 403)
