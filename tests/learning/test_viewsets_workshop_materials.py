import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.factories import WorkshopMaterialFactory
from learning.models import TrainerAssignment, WorkshopMaterial
from tests.fixtures_workshops import make_upload

pytestmark = pytest.mark.django_db

INDEX = "workshop_materials:index"


def _form(workshop, **overrides):
    return {
        "workshop": workshop.pk,
        "title": "Case study: Lake Victoria",
        "kind": "case_study",
        "language": "en",
        "description": "",
        "topics": "water, synergies",
        "licence": "CC-BY-4.0",
        "visibility": "public",
        **overrides,
    }


def test_trainer_lists_only_materials_of_their_regions(
    client, trainer_africa, africa_materials, asia_materials
):
    client.force_login(trainer_africa)
    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Africa public handout" in html
    assert "Asia public handout" not in html
    # nor through the admin search
    html = client.get(reverse(INDEX), {"q": "Asia"}).content.decode()
    assert "Asia public handout" not in html


def test_trainer_cannot_open_edit_or_delete_another_regions_material(
    client, trainer_africa, asia_materials, africa_workshop
):
    client.force_login(trainer_africa)
    material = asia_materials["trainers"]
    before = list(WorkshopMaterial.objects.order_by("pk").values())
    urls = {
        "edit": reverse("workshop_materials:edit", args=[material.pk]),
        "delete": reverse("workshop_materials:delete", args=[material.pk]),
        "history": reverse("workshop_materials:history", args=[material.pk]),
    }

    for url in urls.values():
        assert client.get(url).status_code == 404
    edit = client.post(urls["edit"], _form(africa_workshop, title="Hijacked"))
    delete = client.post(urls["delete"])

    assert edit.status_code == 404
    assert delete.status_code == 404
    assert list(WorkshopMaterial.objects.order_by("pk").values()) == before


def test_trainer_cannot_add_a_material_to_another_regions_workshop(
    client, trainer_africa, asia_workshop, pdf_bytes
):
    client.force_login(trainer_africa)
    response = client.post(
        reverse("workshop_materials:add"),
        {**_form(asia_workshop), "upload": make_upload("case.pdf", pdf_bytes)},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not WorkshopMaterial.objects.exists()


def test_trainer_adds_material_in_the_admin_through_the_service(
    client, trainer_africa, africa_workshop, asia_workshop, pdf_bytes
):
    client.force_login(trainer_africa)
    form_page = client.get(reverse("workshop_materials:add"))
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert f'<option value="{africa_workshop.pk}">' in html
    assert asia_workshop.title not in html  # other regions' workshops are not offered
    response = client.post(
        reverse("workshop_materials:add"),
        {**_form(africa_workshop), "upload": make_upload("case.pdf", pdf_bytes)},
    )
    assert response.status_code == 302
    material = WorkshopMaterial.objects.get()
    assert material.uploaded_by == trainer_africa
    assert material.original_filename == "case.pdf"
    assert sorted(material.topics.names()) == ["synergies", "water"]


def test_admin_refuses_a_spoofed_file(client, trainer_africa, africa_workshop):
    client.force_login(trainer_africa)
    response = client.post(
        reverse("workshop_materials:add"),
        {**_form(africa_workshop), "upload": make_upload("case.pdf", b"<script>x</script>")},
    )
    assert response.status_code == 200
    assert "its content is not a PDF file" in response.content.decode()
    assert not WorkshopMaterial.objects.exists()


def test_trainer_edits_and_replaces_in_the_admin(client, trainer_africa, africa_materials):
    material = africa_materials["public"]
    client.force_login(trainer_africa)
    assert client.get(reverse("workshop_materials:edit", args=[material.pk])).status_code == 200
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    response = client.post(
        reverse("workshop_materials:edit", args=[material.pk]),
        {
            **_form(material.workshop, title="Renamed", visibility="trainers"),
            "upload": make_upload("photo.png", png),
        },
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert (material.title, material.visibility, material.content_type) == (
        "Renamed",
        "trainers",
        "image/png",
    )
    assert material.versions.count() == 1


def test_trainer_deletes_in_the_admin(client, trainer_africa, africa_materials):
    material = africa_materials["public"]
    client.force_login(trainer_africa)
    response = client.post(reverse("workshop_materials:delete", args=[material.pk]))
    assert response.status_code == 302
    assert not WorkshopMaterial.objects.filter(pk=material.pk).exists()


def test_trainer_assignments_are_for_superusers_only(
    client, trainer_africa, admin_user, asia, learner
):
    client.force_login(trainer_africa)
    assert client.get(reverse("trainer_assignments:index")).status_code in (302, 403)
    response = client.post(
        reverse("trainer_assignments:add"), {"user": trainer_africa.pk, "region": asia.pk}
    )
    assert response.status_code in (302, 403)
    assert not TrainerAssignment.objects.filter(user=trainer_africa, region=asia).exists()

    client.force_login(admin_user)
    assert client.get(reverse("trainer_assignments:index")).status_code == 200
    response = client.post(
        reverse("trainer_assignments:add"), {"user": learner.pk, "region": asia.pk}
    )
    assert response.status_code == 302
    assert TrainerAssignment.objects.filter(user=learner, region=asia).exists()


def test_admin_material_listing_query_budget(client, trainer_africa, africa_workshop):
    client.force_login(trainer_africa)
    WorkshopMaterialFactory(workshop=africa_workshop)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(INDEX)).status_code == 200
        return len(queries)

    count()  # caches warm, as on a running site
    few = count()
    WorkshopMaterialFactory.create_batch(8, workshop=africa_workshop)
    assert count() == few
