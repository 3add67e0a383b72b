"""Hostile attendance reports get a clear refusal naming the problem, never a 500, and
nothing is written (issue 18, item 8)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.webinars.test_admin_registrations import organizer_user
from webinars.attendance import ReportError, parse_report
from webinars.factories import (
    RegistrationFactory,
    WebinarPageFactory,
    WebinarSeriesPageFactory,
)
from webinars.models import AttendanceImport

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return organizer_user()


@pytest.fixture
def webinar(organizer):
    return WebinarPageFactory(parent=WebinarSeriesPageFactory(organizers=[organizer]))


HEADER = "Name (original name),User Email,Duration (minutes)\n"

HOSTILE = {
    "20-digit duration": (HEADER + "Ana,ana@example.org,12345678901234567890\n").encode(),
    "400-digit duration": (HEADER + "Ana,ana@example.org," + "9" * 400 + "\n").encode(),
    "field over the csv limit": (HEADER + "Ana," + "x" * 140_000 + ",30\n").encode(),
    "odd-length UTF-16": b"\xff\xfe" + HEADER.encode("utf-16-le") + b"A",
    "NUL inside": (HEADER + "Ana\x00,ana@example.org,30\n").encode(),
}

PROBLEM = {
    "20-digit duration": "not plausible",
    "400-digit duration": "not plausible",
    "field over the csv limit": "cannot be read as CSV",
    "odd-length UTF-16": "UTF-16",
    "NUL inside": "",
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_the_reader_refuses_with_a_reason(case):
    try:
        people = parse_report(HOSTILE[case], "zoom")
    except ReportError as error:
        assert PROBLEM[case] in str(error)
    else:
        assert case == "NUL inside"  # read as text: a name with a NUL in it
        assert people[0].minutes == 30


@pytest.mark.parametrize("case", list(HOSTILE))
def test_the_import_screen_answers_with_the_reason_and_writes_nothing(
    client,
    organizer,
    webinar,
    case,
):
    RegistrationFactory(webinar=webinar)
    client.force_login(organizer)
    response = client.post(
        reverse("webinar_admin:attendance", args=[webinar.pk]),
        {"platform": "zoom", "report": SimpleUploadedFile("report.csv", HOSTILE[case])},
    )
    assert response.status_code in (200, 302)
    if PROBLEM[case]:
        assert response.status_code == 200
        assert PROBLEM[case] in response.content.decode()
        assert not AttendanceImport.objects.exists()
