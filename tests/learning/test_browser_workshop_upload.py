"""The trainer page in a real browser: several files uploaded one by one, each with its
progress bar and its own answer."""

import pytest
from django.test import Client

from learning.models import WorkshopMaterial

# serialized_rollback: regions, groups and Wagtail's root page come from migrations, which a
# transactional test's flush would otherwise remove for the next test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_trainer_uploads_several_files_with_progress_and_per_file_errors(
    browser, live_server, settings, trainer_africa, africa_workshop, tmp_path, pdf_bytes
):
    good = tmp_path / "Field guide.pdf"
    good.write_bytes(pdf_bytes)
    spoofed = tmp_path / "photo.png"
    spoofed.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>")
    too_large = tmp_path / "recording.mp4"
    too_large.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2048)
    settings.LEARNING_MATERIAL_MAX_FILE_SIZE = 1024
    client = Client()
    client.force_login(trainer_africa)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/workshops/trainer/{africa_workshop.pk}/")
        page.set_input_files("input[name=files]", [str(good), str(spoofed), str(too_large)])
        page.select_option("select[name=kind]", "handout")
        page.click("[data-upload-form] button[type=submit]")
        page.wait_for_selector("[data-upload-done]:not([hidden])")

        items = page.locator("[data-upload-list] li")
        assert items.count() == 3
        assert "Added: Field guide" in items.nth(0).inner_text()
        assert "its content is not a PNG file" in items.nth(1).inner_text()
        assert items.nth(0).locator("progress").evaluate("bar => bar.value") == 1
        assert "larger than the 1.0\xa0KB limit, so it was not sent" in items.nth(2).inner_text()
        # The page was not reloaded: the answers came from per-file requests.
        assert page.url.endswith(f"/workshops/trainer/{africa_workshop.pk}/")
    finally:
        context.close()
    material = WorkshopMaterial.objects.get()
    assert (material.title, material.kind, material.uploaded_by) == (
        "Field guide",
        "handout",
        trainer_africa,
    )
