"""A workshop participant downloads a material in a real browser: the file saved is the
stored file, counted once."""

import pytest

from learning.models import MaterialDownload
from learning.workshops import services
from tests.fixtures_workshops import make_upload
from tests.learning.test_file_types_workshop_materials import DOCX

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_participant_downloads_a_material_and_gets_the_stored_file(
    page_as, live_server, participant, trainer_africa, africa_workshop, tmp_path
):
    material = services.add_material(
        africa_workshop,
        make_upload("Facilitation guide.docx", DOCX),
        user=trainer_africa,
        title="Facilitation guide",
        kind="handout",
        language="en",
        visibility="participants",
    )
    page = page_as(participant, accept_downloads=True)
    page.goto(f"{live_server.url}{africa_workshop.url}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Facilitation guide").first.click()
    download = download_info.value
    saved = tmp_path / "saved.docx"
    download.save_as(saved)

    assert download.suggested_filename == "Facilitation guide.docx"
    material.file.open("rb")
    with material.file:
        assert saved.read_bytes() == material.file.read() == DOCX
    assert MaterialDownload.objects.filter(material=material).count() == 1
