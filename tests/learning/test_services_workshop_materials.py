import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from learning.models import WorkshopMaterial, WorkshopMaterialVersion, WorkshopParticipant
from learning.storage import private_storage
from learning.workshops import permissions, services
from tests.fixtures_workshops import make_upload

pytestmark = pytest.mark.django_db


def _add(workshop, user, name="notes.pdf", data=None, **fields):
    from learning.factories import MINIMAL_PDF

    fields.setdefault("kind", "handout")
    fields.setdefault("language", "en")
    return services.add_material(
        workshop, make_upload(name, data or MINIMAL_PDF), user=user, **fields
    )


def test_trainer_adds_material_to_a_workshop_of_their_region(trainer_africa, africa_workshop):
    material = _add(africa_workshop, trainer_africa, "Mapping_knowledge-flows.pdf")

    assert material.title == "Mapping knowledge flows"
    assert material.uploaded_by == trainer_africa
    assert material.content_type == "application/pdf"
    assert material.original_filename == "Mapping_knowledge-flows.pdf"
    # The storage path has a random directory, so it cannot be guessed.
    directory = material.file.name.split("/")[1]
    assert len(directory) == 32
    assert private_storage().exists(material.file.name)


def test_trainer_of_africa_cannot_add_to_asia(trainer_africa, asia_workshop):
    with pytest.raises(PermissionDenied):
        _add(asia_workshop, trainer_africa)
    assert not WorkshopMaterial.objects.exists()


def test_learner_without_assignment_cannot_add(learner, africa_workshop):
    with pytest.raises(PermissionDenied):
        _add(africa_workshop, learner)
    assert not WorkshopMaterial.objects.exists()


def test_superuser_may_add_anywhere(admin_user, asia_workshop):
    assert _add(asia_workshop, admin_user).workshop == asia_workshop


def test_trainer_of_africa_cannot_edit_replace_or_delete_asia_material(
    trainer_africa, asia_materials, pdf_bytes
):
    material = asia_materials["public"]
    before = WorkshopMaterial.objects.values().get(pk=material.pk)

    with pytest.raises(PermissionDenied):
        services.update_material(material, user=trainer_africa, title="Hijacked")
    with pytest.raises(PermissionDenied):
        services.replace_material(material, make_upload("x.pdf", pdf_bytes), user=trainer_africa)
    with pytest.raises(PermissionDenied):
        services.delete_material(material, user=trainer_africa)

    assert WorkshopMaterial.objects.values().get(pk=material.pk) == before
    assert not WorkshopMaterialVersion.objects.exists()


def test_trainer_cannot_move_material_to_another_region(
    trainer_africa, africa_materials, asia_workshop
):
    material = africa_materials["public"]
    with pytest.raises(PermissionDenied):
        services.update_material(material, user=trainer_africa, workshop=asia_workshop)
    material.refresh_from_db()
    assert material.workshop_id != asia_workshop.pk


def test_update_material_changes_fields_and_topics(trainer_africa, africa_materials):
    material = services.update_material(
        africa_materials["public"],
        user=trainer_africa,
        title="  Stakeholder mapping ",
        visibility="participants",
        topics="synergies, knowledge sharing",
    )
    material.refresh_from_db()
    assert material.title == "Stakeholder mapping"
    assert material.visibility == "participants"
    assert sorted(t.name for t in material.topics.all()) == ["knowledge sharing", "synergies"]


def test_update_material_refuses_an_unknown_choice(trainer_africa, africa_materials):
    material = africa_materials["public"]
    with pytest.raises(ValidationError) as error:
        services.update_material(material, user=trainer_africa, kind="poster")
    assert "kind" in error.value.message_dict
    material.refresh_from_db()
    assert material.kind == "handout"


def test_replace_keeps_the_previous_version(trainer_africa, africa_workshop):
    material = _add(africa_workshop, trainer_africa, "agenda.pdf")
    old_name = material.file.name
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40

    replaced = services.replace_material(
        material, make_upload("agenda-photo.png", png), user=trainer_africa
    )

    assert replaced.original_filename == "agenda-photo.png"
    assert replaced.content_type == "image/png"
    version = replaced.versions.get()
    assert version.file.name == old_name
    assert version.original_filename == "agenda.pdf"
    assert private_storage().exists(old_name)
    assert private_storage().exists(replaced.file.name)


def test_replace_with_a_refused_file_changes_nothing(trainer_africa, africa_workshop):
    material = _add(africa_workshop, trainer_africa, "agenda.pdf")
    with pytest.raises(ValidationError):
        services.replace_material(
            material, make_upload("agenda.pdf", b"<html>hi</html>"), user=trainer_africa
        )
    material.refresh_from_db()
    assert material.original_filename == "agenda.pdf"
    assert not material.versions.exists()


def test_delete_removes_rows_and_files_after_commit(
    trainer_africa, africa_workshop, pdf_bytes, django_capture_on_commit_callbacks
):
    material = _add(africa_workshop, trainer_africa, "agenda.pdf")
    material = services.replace_material(
        material, make_upload("agenda-v2.pdf", pdf_bytes), user=trainer_africa
    )
    names = [material.file.name, material.versions.get().file.name]

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_material(material, user=trainer_africa)

    assert not WorkshopMaterial.objects.exists()
    assert not WorkshopMaterialVersion.objects.exists()
    assert not any(private_storage().exists(name) for name in names)


def test_refused_file_leaves_nothing_behind(trainer_africa, africa_workshop):
    with pytest.raises(ValidationError, match="evil.pdf"):
        _add(africa_workshop, trainer_africa, "evil.pdf", b"MZ\x90\x00 not a pdf")
    assert not WorkshopMaterial.objects.exists()


def test_record_download_counts(africa_materials):
    material = africa_materials["public"]
    services.record_download(material)
    services.record_download(material)
    material.refresh_from_db()
    assert material.download_count == 2


@pytest.mark.parametrize(
    "viewer, expected",
    [
        ("anonymous", {"public"}),
        ("learner", {"public"}),
        ("participant", {"public", "participants"}),
        ("trainer_africa", {"public", "participants", "trainers"}),
        ("trainer_asia", {"public"}),
    ],
)
def test_visibility_levels(request, viewer, expected, africa_materials):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if viewer == "anonymous" else request.getfixturevalue(viewer)
    visible = permissions.visible_materials(user)
    assert {material.visibility for material in visible} == expected
    for visibility, material in africa_materials.items():
        assert permissions.may_download(user, material) == (visibility in expected)


def test_materials_of_an_unpublished_workshop_are_hidden(
    learner, trainer_africa, africa_materials, africa_workshop
):
    africa_workshop.unpublish()
    assert not permissions.visible_materials(learner).exists()
    assert not permissions.may_download(learner, africa_materials["public"])
    assert permissions.may_download(trainer_africa, africa_materials["public"])


def test_participant_listed_by_email_before_having_an_account(africa_workshop, trainer_africa):
    from learning.factories import UserFactory

    services.add_participants(africa_workshop, ["Later@Example.org"], user=trainer_africa)
    user = UserFactory(email="later@example.org", username="later@example.org")
    assert permissions.is_participant(user, africa_workshop)


def test_add_participants_links_accounts_and_skips_duplicates(
    africa_workshop, trainer_africa, learner
):
    result = services.add_participants(
        africa_workshop,
        [learner.email.upper(), "new@example.org", "new@example.org", " "],
        user=trainer_africa,
    )
    assert sorted(result.added) == [learner.email, "new@example.org"]
    assert WorkshopParticipant.objects.get(email=learner.email).user == learner

    again = services.add_participants(africa_workshop, [learner.email], user=trainer_africa)
    assert again.added == [] and again.already_listed == [learner.email]


def test_add_participants_with_a_bad_address_writes_nothing(africa_workshop, trainer_africa):
    with pytest.raises(services.WorkshopError, match="not-an-email"):
        services.add_participants(
            africa_workshop, ["ok@example.org", "not-an-email"], user=trainer_africa
        )
    assert not WorkshopParticipant.objects.exists()


def test_trainer_of_asia_cannot_manage_african_participants(
    africa_workshop, trainer_asia, participant
):
    with pytest.raises(PermissionDenied):
        services.add_participants(africa_workshop, ["x@example.org"], user=trainer_asia)
    with pytest.raises(PermissionDenied):
        services.remove_participant(
            WorkshopParticipant.objects.get(user=participant), user=trainer_asia
        )
    assert list(WorkshopParticipant.objects.values_list("email", flat=True)) == [participant.email]


def test_parse_participant_csv_reads_the_email_column():
    data = b"Name;Email\nAmina;amina@example.org\nLi;li@example.org\n"
    emails = services.parse_participant_csv(make_upload("list.csv", data))
    assert emails == ["amina@example.org", "li@example.org"]


def test_parse_participant_csv_without_header():
    data = b"amina@example.org\nli@example.org\n"
    assert services.parse_participant_csv(make_upload("list.csv", data)) == [
        "amina@example.org",
        "li@example.org",
    ]


def test_parse_participant_csv_refuses_binary():
    with pytest.raises(services.WorkshopError, match="UTF-8"):
        services.parse_participant_csv(make_upload("list.csv", b"\xff\xfe\x00\x00"))


def test_deleting_a_workshop_page_removes_its_material_files(
    trainer_africa, africa_workshop, pdf_bytes, django_capture_on_commit_callbacks
):
    material = _add(africa_workshop, trainer_africa, "agenda.pdf")
    material = services.replace_material(
        material, make_upload("agenda-v2.pdf", pdf_bytes), user=trainer_africa
    )
    names = [material.file.name, material.versions.get().file.name]

    with django_capture_on_commit_callbacks(execute=True):
        africa_workshop.delete()

    assert not WorkshopMaterial.objects.exists()
    assert not any(private_storage().exists(name) for name in names)
