"""The trainer page in a real browser: several files uploaded one by one, each with its
progress bar and its own answer."""

import pytest

from learning.models import WorkshopMaterial

# serialized_rollback: regions, groups and Wagtail's root page come from migrations, which a
# transactional test's flush would otherwise remove for the next test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_trainer_uploads_several_files_with_progress_and_per_file_errors(
    page_as, live_server, settings, trainer_africa, africa_workshop, tmp_path, pdf_bytes
):
    good = tmp_path / "Field guide.pdf"
    good.write_bytes(pdf_bytes)
    spoofed = tmp_path / "photo.png"
    spoofed.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>")
    too_large = tmp_path / "recording.mp4"
    too_large.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2048)
    settings.LEARNING_MATERIAL_MAX_FILE_SIZE = 1024
    page = page_as(trainer_africa)
    page.goto(f"{live_server.url}/workshops/trainer/{africa_workshop.pk}/")
    page.set_input_files("input[name=files]", [str(good), str(spoofed), str(too_large)])
    page.click("[data-upload-form] button[type=submit]")
    page.wait_for_selector("[data-upload-done]:not([hidden])")

    items = page.locator("[data-upload-list] li")
    assert items.count() == 3
    assert "Added: Field guide" in items.nth(0).inner_text()
    assert "its content is not a PNG file" in items.nth(1).inner_text()
    assert items.nth(0).locator("progress").evaluate("bar => bar.value") == 1
    # A refused file shows as refused, not as a full (successful-looking) bar.
    refused_bar = items.nth(1).locator("progress")
    assert refused_bar.evaluate("bar => bar.hidden && bar.value === 0")
    assert "upload-error" in items.nth(1).get_attribute("class")
    assert "larger than the 1.0\xa0KB limit, so it was not sent" in items.nth(2).inner_text()
    # The page was not reloaded: the answers came from per-file requests.
    assert page.url.endswith(f"/workshops/trainer/{africa_workshop.pk}/")
    material = WorkshopMaterial.objects.get()
    assert (material.title, material.kind, material.uploaded_by) == (
        "Field guide",
        "handout",
        trainer_africa,
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def _material_rows(page):
    rows = page.locator("[data-material-list] tbody tr")
    return {
        row.locator("td").nth(0).inner_text().split("\n")[0]: (
            row.locator("td").nth(1).inner_text(),
            row.locator("td").nth(3).inner_text(),
        )
        for row in rows.all()
    }


def test_trainer_uploads_a_photo_and_slides_with_their_own_kind_and_visibility(
    page_as, live_server, trainer_africa, africa_workshop, tmp_path, pdf_bytes
):
    photo = tmp_path / "flipchart group3.jpg"
    photo.write_bytes(JPEG)
    slides = tmp_path / "stakeholder_mapping.pdf"
    slides.write_bytes(pdf_bytes)
    page = page_as(trainer_africa)
    page.goto(f"{live_server.url}/workshops/trainer/{africa_workshop.pk}/")
    page.set_input_files("input[name=files]", [str(photo), str(slides)])
    items = page.locator("[data-upload-list] li")
    # Guessed per file, before anything is sent; visibility starts at the safe default.
    assert items.nth(0).locator("input[name=title]").input_value() == "Flipchart group 3"
    assert items.nth(0).locator("select[name=kind]").input_value() == "photo"
    assert items.nth(1).locator("select[name=kind]").input_value() == "handout"
    assert items.nth(0).locator("select[name=visibility]").input_value() == "participants"
    # The trainer corrects the second file before uploading.
    items.nth(1).locator("select[name=kind]").select_option("slides")
    items.nth(1).locator("select[name=visibility]").select_option("public")
    items.nth(1).locator("input[name=title]").fill("Stakeholder mapping")
    page.click("[data-upload-form] button[type=submit]")
    page.wait_for_selector("[data-upload-done]:not([hidden])")
    # The material list refreshed without a reload.
    assert page.url.endswith(f"/workshops/trainer/{africa_workshop.pk}/")
    assert _material_rows(page) == {
        "Flipchart group 3": ("Photo", "Workshop participants"),
        "Stakeholder mapping": ("Slides", "Everyone"),
    }


def test_without_javascript_kinds_are_guessed_per_file_and_visibility_is_safe(
    page_as, live_server, trainer_africa, africa_workshop, tmp_path, pdf_bytes
):
    photo = tmp_path / "flipchart group3.jpg"
    photo.write_bytes(JPEG)
    slides = tmp_path / "stakeholder_mapping.pdf"
    slides.write_bytes(pdf_bytes)
    page = page_as(trainer_africa, java_script_enabled=False)
    url = f"{live_server.url}/workshops/trainer/{africa_workshop.pk}/"
    page.goto(url)
    assert page.locator("select[name=visibility]").input_value() == "participants"
    assert page.locator("select[name=kind]").input_value() == ""  # guess per file
    page.set_input_files("input[name=files]", [str(photo)])
    page.click("[data-upload-form] button[type=submit]")
    page.wait_for_url(url)
    # The second file on its own, with its own title, kind and visibility.
    page.set_input_files("input[name=files]", [str(slides)])
    page.fill("input[name=title]", "Stakeholder mapping")
    page.select_option("select[name=kind]", "slides")
    page.select_option("select[name=visibility]", "public")
    page.click("[data-upload-form] button[type=submit]")
    page.wait_for_url(url)
    assert _material_rows(page) == {
        "Flipchart group 3": ("Photo", "Workshop participants"),
        "Stakeholder mapping": ("Slides", "Everyone"),
    }
