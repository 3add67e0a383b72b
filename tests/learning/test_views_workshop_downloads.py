"""Workshop material downloads: who may download which file and version, and how the
files are served (inline or attachment, nosniff, counted)."""

import pytest
from django.urls import reverse

from learning.factories import WorkshopMaterialFactory
from learning.workshops import services
from tests.fixtures_workshops import make_upload
from tests.learning.test_file_types_workshop_materials import DOCX

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _download(client, material):
    return client.get(reverse("learning:workshop_material_download", args=[material.pk]))


def _body(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "viewer, visibility, expected",
    [
        ("anonymous", "public", 200),
        ("anonymous", "participants", 302),
        ("anonymous", "trainers", 302),
        ("learner", "participants", 404),
        ("learner", "trainers", 404),
        ("participant", "participants", 200),
        ("participant", "trainers", 404),
        ("trainer_asia", "participants", 404),
        ("trainer_africa", "trainers", 200),
    ],
)
def test_download_visibility(request, client, africa_materials, viewer, visibility, expected):
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    material = africa_materials[visibility]

    response = _download(client, material)

    assert response.status_code == expected
    material.refresh_from_db()
    assert material.download_count == (1 if expected == 200 else 0)
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


def test_pdf_opens_inline_with_nosniff(client, africa_materials, pdf_bytes):
    response = _download(client, africa_materials["public"])
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _body(response) == pdf_bytes


def test_office_documents_are_attachments(client, trainer_africa, africa_workshop):
    material = services.add_material(
        africa_workshop,
        make_upload("report.docx", DOCX),
        user=trainer_africa,
        kind="report",
        language="fr",
        visibility="public",  # anonymous download (uploads default to participants)
    )
    response = _download(client, material)
    assert response["Content-Disposition"] == 'attachment; filename="report.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_head_does_not_count(client, africa_materials):
    material = africa_materials["public"]
    response = client.head(reverse("learning:workshop_material_download", args=[material.pk]))
    assert response.status_code == 200
    material.refresh_from_db()
    assert material.download_count == 0


def test_material_file_is_not_linked_by_its_storage_url(client, africa_workshop, africa_materials):
    response = client.get(africa_workshop.url)
    html = response.content.decode()
    material = africa_materials["public"]
    assert material.get_download_url() in html
    assert material.file.name not in html


def test_previous_versions_are_for_trainers_only(
    client, trainer_africa, learner, africa_workshop, pdf_bytes
):
    material = services.add_material(
        africa_workshop,
        make_upload("v1.pdf", pdf_bytes),
        user=trainer_africa,
        kind="handout",
        language="en",
    )
    material = services.replace_material(material, make_upload("v2.png", PNG), user=trainer_africa)
    version = material.versions.get()
    url = version.get_download_url()

    client.force_login(learner)
    assert client.get(url).status_code == 404
    client.force_login(trainer_africa)
    response = client.get(url)
    assert response.status_code == 200
    assert _body(response) == pdf_bytes
    # the current file is the new one, for everyone
    assert _body(_download(client, material)) == PNG


def test_participant_sees_participant_materials_on_the_workshop_page(
    client, participant, learner, africa_workshop, africa_materials
):
    client.force_login(learner)
    html = client.get(africa_workshop.url).content.decode()
    assert "Africa public handout" in html
    assert "Africa participants handout" not in html

    client.force_login(participant)
    html = client.get(africa_workshop.url).content.decode()
    assert "Africa participants handout" in html
    assert "Africa trainers handout" not in html


def test_unknown_material_is_404(client):
    assert client.get(reverse("learning:workshop_material_download", args=[999])).status_code in (
        302,
        404,
    )


def test_factory_material_is_downloadable(client, africa_workshop):
    material = WorkshopMaterialFactory(workshop=africa_workshop)
    assert _download(client, material).status_code == 200


def test_anonymous_visitor_is_sent_to_log_in_for_a_previous_version(
    client, trainer_africa, africa_workshop, pdf_bytes
):
    material = services.add_material(
        africa_workshop,
        make_upload("v1.pdf", pdf_bytes),
        user=trainer_africa,
        kind="handout",
        language="en",
    )
    material = services.replace_material(material, make_upload("v2.png", PNG), user=trainer_africa)
    response = client.get(material.versions.get().get_download_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_non_latin_file_names_are_kept_for_the_download(
    client, trainer_africa, africa_workshop, pdf_bytes
):
    material = services.add_material(
        africa_workshop,
        make_upload("دليل المشارك.pdf", pdf_bytes),
        user=trainer_africa,
        kind="handout",
        language="ar",
        visibility="public",  # anonymous download (uploads default to participants)
    )
    assert material.title == "دليل المشارك"
    response = _download(client, material)
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert material.original_filename == "دليل المشارك.pdf"
