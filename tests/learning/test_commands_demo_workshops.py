import io
import zipfile

import pytest

from learning.models import (
    Region,
    TrainerAssignment,
    WorkshopIndexPage,
    WorkshopMaterial,
    WorkshopPage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_content, db, site_root_paths_cleared):
    """The demo content, loaded once for this module (tests/conftest.py)."""


def test_every_region_has_a_workshop_with_generated_materials_and_a_trainer(demo):
    index = WorkshopIndexPage.objects.get()
    assert index.show_in_menus and index.live
    for region in Region.objects.filter(
        slug__in=["africa", "asia-pacific", "latin-america-caribbean", "central-eastern-europe"]
    ):
        workshop = WorkshopPage.objects.get(region=region)
        kinds = set(workshop.materials.values_list("kind", flat=True))
        assert {"handout", "slides", "photo"} <= kinds
        trainer = TrainerAssignment.objects.get(region=region).user
        assert trainer.email.startswith("trainer-")
        assert set(workshop.materials.values_list("uploaded_by", flat=True)) == {trainer.pk}


def test_generated_files_are_real_documents(demo):
    from PIL import Image

    handout = WorkshopMaterial.objects.filter(kind="handout").first()
    with handout.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    deck = WorkshopMaterial.objects.filter(kind="slides").first()
    with deck.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert b"draw:page" in archive.read("content.xml")
        assert b"opendocument.presentation" in archive.read("META-INF/manifest.xml")
    photo = WorkshopMaterial.objects.filter(kind="photo").first()
    with photo.file.open("rb") as handle:
        assert Image.open(handle).size == (960, 540)


def test_demo_learner_is_a_participant_of_the_african_workshop(demo, client):
    from django.contrib.auth import get_user_model

    from learning.workshops.permissions import is_participant

    learner = get_user_model().objects.get(email="learner@example.org")
    africa = WorkshopPage.objects.get(region__slug="africa")
    assert is_participant(learner, africa)
    client.force_login(learner)
    assert "Group photo" in client.get(africa.url).content.decode()


def test_the_workshop_reports_look_like_a_season(demo):
    from learning.models import MaterialDownload, WorkshopParticipant

    languages = set(WorkshopMaterial.objects.values_list("language", flat=True))
    assert {"en", "fr", "es", "ar", "zh-hans", "ru", "sw"} <= languages
    kinds = set(WorkshopMaterial.objects.values_list("kind", flat=True))
    assert {"handout", "exercise", "case_study", "report", "slides"} <= kinds
    for workshop in WorkshopPage.objects.all():
        assert WorkshopParticipant.objects.filter(workshop=workshop).count() >= 9
        downloads = MaterialDownload.objects.filter(material__workshop=workshop)
        days = {moment.date() for moment in downloads.values_list("downloaded_at", flat=True)}
        assert downloads.count() >= 40 and len(days) >= 10  # spread over time
        assert all(day >= workshop.start_date for day in days)
    # Each material's counter includes its recorded downloads.
    material = MaterialDownload.objects.first().material
    assert material.download_count == material.downloads.count()
