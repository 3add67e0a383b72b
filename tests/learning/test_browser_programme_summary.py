"""A trainer opens the programme summary from the Reports menu in a real browser, limits
it to a year and downloads the headline figures as CSV."""

import csv
import io
from datetime import date

import pytest

from learning.factories import WorkshopMaterialFactory, WorkshopPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
pytest_plugins = ["tests.fixtures_workshops"]


def test_trainer_reads_the_programme_summary_and_downloads_it(
    page_as, live_server, workshop_index, africa, trainer_africa
):
    this_year = WorkshopPageFactory(
        parent=workshop_index, region=africa, start_date=date(2026, 5, 4), end_date=date(2026, 5, 6)
    )
    WorkshopPageFactory(
        parent=workshop_index, region=africa, start_date=date(2025, 5, 4), end_date=date(2025, 5, 6)
    )
    material = WorkshopMaterialFactory(workshop=this_year, download_count=4)
    _downloaded(material, times=4)  # this year (the summary counts the download records)

    page = page_as(trainer_africa, accept_downloads=True)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Programme summary").click()
    page.wait_for_url("**/admin/reports/programme/")
    assert "Regional workshops" in page.inner_text("#section-workshops")
    assert "Webinars" not in page.inner_text("main")  # not an organizer

    page.fill("#id_date_from", "2026-01-01")
    page.fill("#id_date_to", "2026-12-31")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**date_to=2026-12-31**")
    with page.expect_download() as download_info:
        page.locator("#table-figures").get_by_role("link", name="CSV").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert ["Regional workshops", "Workshops", "1"] in rows
    assert ["Regional workshops", "Material downloads", "4"] in rows


def test_administrator_downloads_the_programme_summary_as_pdf(
    page_as, live_server, workshop_index, africa, admin_user
):
    from pypdf import PdfReader

    nairobi = WorkshopPageFactory(
        parent=workshop_index, region=africa, start_date=date(2026, 5, 4), end_date=date(2026, 5, 6)
    )
    material = WorkshopMaterialFactory(workshop=nairobi, download_count=12)
    _downloaded(material, times=12)

    page = page_as(admin_user, accept_downloads=True)
    page.set_default_timeout(30_000)
    page.goto(live_server.url + "/admin/reports/programme/")
    page.fill("#id_date_from", "2026-01-01")
    page.fill("#id_date_to", "2026-12-31")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**date_to=2026-12-31**")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this summary as PDF").click()
    download = download_info.value
    assert download.suggested_filename == "programme-summary-2026-01-01-2026-12-31.pdf"
    with open(download.path(), "rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace(
        "\n", " "
    )
    assert "Programme summary" in text
    assert "Material downloads 12" in text
    assert "Workshops 1" in text


def _downloaded(material, *, times):
    from learning.models import MaterialDownload

    MaterialDownload.objects.bulk_create(
        MaterialDownload(material=material, region=material.workshop.region) for _n in range(times)
    )
