"""The trainer page (``/workshops/trainer/``): uploads, edits, replacements, deletions and
participant lists, only for the trainer's own regions."""

import pytest
from django.urls import reverse

from learning.factories import WorkshopMaterialFactory
from learning.models import WorkshopMaterial
from learning.workshops import services
from tests.fixtures_workshops import make_upload
from tests.learning.test_file_types_workshop_materials import _zip

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

# A plain ZIP archive (no Office markers), whatever it is named.
DOCX_FAKE = _zip({"notes.pdf": "%PDF-1.4"})


def _upload_url(workshop):
    return reverse("learning:workshop_trainer_workshop", args=[workshop.pk])


def _upload_data(*files, **fields):
    return {
        "kind": "handout",
        "language": "en",
        "visibility": "public",
        "licence": "CC-BY-4.0",
        "topics": "synergies",
        "description": "",
        "files": list(files),
        **fields,
    }


def test_trainer_uploads_several_files_each_with_its_own_outcome(
    client, trainer_africa, africa_workshop, pdf_bytes
):
    client.force_login(trainer_africa)
    response = client.post(
        _upload_url(africa_workshop),
        _upload_data(
            make_upload("Agenda.pdf", pdf_bytes),
            make_upload("group-photo.png", PNG),
            make_upload("slides.docx", DOCX_FAKE),
            make_upload("tools.zip", DOCX_FAKE),
        ),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "“slides.docx” is a ZIP archive, not a Word document" in html
    assert "“tools.zip”: .zip files are not accepted" in html
    assert "“Agenda.pdf” was added as “Agenda”" in html
    assert sorted(WorkshopMaterial.objects.values_list("original_filename", flat=True)) == [
        "Agenda.pdf",
        "group-photo.png",
    ]
    assert WorkshopMaterial.objects.get(original_filename="Agenda.pdf").topics.get().name == (
        "synergies"
    )


def test_upload_with_all_files_accepted_redirects(
    client, trainer_africa, africa_workshop, pdf_bytes
):
    client.force_login(trainer_africa)
    response = client.post(
        _upload_url(africa_workshop), _upload_data(make_upload("a.pdf", pdf_bytes))
    )
    assert response.status_code == 302
    assert WorkshopMaterial.objects.count() == 1


def test_upload_without_files_says_so(client, trainer_africa, africa_workshop):
    client.force_login(trainer_africa)
    response = client.post(_upload_url(africa_workshop), _upload_data())
    assert "Choose at least one file." in response.content.decode()


def test_xhr_upload_answers_json_per_file(client, trainer_africa, africa_workshop, pdf_bytes):
    client.force_login(trainer_africa)
    ok = client.post(
        _upload_url(africa_workshop),
        _upload_data(make_upload("a.pdf", pdf_bytes)),
        headers={"accept": "application/json"},
    )
    refused = client.post(
        _upload_url(africa_workshop),
        _upload_data(make_upload("b.pdf", PNG)),
        headers={"accept": "application/json"},
    )
    assert (
        ok.status_code == 201 and ok.json()["ok"] and ok.json()["title"] == "A"
    )  # titles start with a capital
    assert refused.status_code == 200 and not refused.json()["ok"]
    assert "its content is not a PDF file" in refused.json()["error"]


def test_trainer_of_africa_cannot_use_the_trainer_page_for_asia(
    client, trainer_africa, asia_workshop, asia_materials, pdf_bytes
):
    client.force_login(trainer_africa)
    material = asia_materials["public"]
    before = list(WorkshopMaterial.objects.order_by("pk").values())

    assert client.get(_upload_url(asia_workshop)).status_code == 404
    upload = client.post(_upload_url(asia_workshop), _upload_data(make_upload("x.pdf", pdf_bytes)))
    edit_url = reverse("learning:workshop_trainer_material", args=[material.pk])
    edit = client.post(
        edit_url,
        {
            "title": "Hijacked",
            "kind": "handout",
            "language": "en",
            "visibility": "public",
            "licence": "CC-BY-4.0",
        },
    )
    delete = client.post(reverse("learning:workshop_trainer_material_delete", args=[material.pk]))
    participants = client.post(
        reverse("learning:workshop_trainer_participants", args=[asia_workshop.pk]),
        {"emails": "spy@example.org"},
    )

    assert {upload.status_code, edit.status_code, delete.status_code} == {404}
    assert client.get(edit_url).status_code == 404
    assert participants.status_code == 404
    assert list(WorkshopMaterial.objects.order_by("pk").values()) == before
    assert not asia_workshop.participants.exists()


def test_trainer_home_lists_only_own_regions(
    client, trainer_africa, africa_workshop, asia_workshop
):
    client.force_login(trainer_africa)
    html = client.get(reverse("learning:workshop_trainer")).content.decode()
    assert africa_workshop.title in html
    assert asia_workshop.title not in html


def test_trainer_page_refuses_non_trainers(client, learner):
    client.force_login(learner)
    assert client.get(reverse("learning:workshop_trainer")).status_code == 403
    client.logout()
    assert client.get(reverse("learning:workshop_trainer")).status_code == 302


def test_trainer_edits_and_replaces_a_material(client, trainer_africa, africa_materials):
    material = africa_materials["public"]
    client.force_login(trainer_africa)
    response = client.post(
        reverse("learning:workshop_trainer_material", args=[material.pk]),
        {
            "title": "Stakeholder map",
            "kind": "exercise",
            "language": "fr",
            "visibility": "participants",
            "licence": "CC-BY-SA-4.0",
            "description": "Map who knows what.",
            "topics_text": "mapping",
            "replacement": make_upload("map.png", PNG),
        },
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert (material.title, material.kind, material.visibility) == (
        "Stakeholder map",
        "exercise",
        "participants",
    )
    assert material.original_filename == "map.png"
    assert material.versions.get().original_filename == "handout.pdf"


def test_refused_replacement_changes_nothing(client, trainer_africa, africa_materials):
    material = africa_materials["public"]
    client.force_login(trainer_africa)
    response = client.post(
        reverse("learning:workshop_trainer_material", args=[material.pk]),
        {
            "title": "Renamed",
            "kind": "handout",
            "language": "en",
            "visibility": "public",
            "licence": "CC-BY-4.0",
            "replacement": make_upload("map.png", b"GIF89a not a png"),
        },
    )
    assert response.status_code == 200
    assert "its content is not a PNG file" in response.content.decode()
    material.refresh_from_db()
    assert material.title == "Africa public handout"
    assert not material.versions.exists()


def test_trainer_deletes_a_material(client, trainer_africa, africa_materials):
    material = africa_materials["trainers"]
    client.force_login(trainer_africa)
    url = reverse("learning:workshop_trainer_material_delete", args=[material.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not WorkshopMaterial.objects.filter(pk=material.pk).exists()


def test_trainer_adds_participants_from_csv(client, trainer_africa, africa_workshop):
    client.force_login(trainer_africa)
    response = client.post(
        reverse("learning:workshop_trainer_participants", args=[africa_workshop.pk]),
        {
            "emails": "a@example.org, b@example.org",
            "csv_file": make_upload("list.csv", b"email\nc@example.org\n"),
        },
    )
    assert response.status_code == 302
    assert sorted(africa_workshop.participants.values_list("email", flat=True)) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]


def test_bad_participant_address_is_named_and_nothing_added(
    client, trainer_africa, africa_workshop
):
    client.force_login(trainer_africa)
    response = client.post(
        reverse("learning:workshop_trainer_participants", args=[africa_workshop.pk]),
        {"emails": "a@example.org\nnonsense"},
    )
    assert response.status_code == 400
    assert "nonsense" in response.content.decode()
    assert not africa_workshop.participants.exists()


def test_trainer_removes_a_participant_but_not_from_another_region(
    client, trainer_africa, trainer_asia, participant, africa_workshop
):
    listed = africa_workshop.participants.get()
    url = reverse(
        "learning:workshop_trainer_participant_remove", args=[africa_workshop.pk, listed.pk]
    )
    client.force_login(trainer_asia)
    assert client.post(url).status_code == 404
    assert africa_workshop.participants.exists()

    client.force_login(trainer_africa)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not africa_workshop.participants.exists()


def test_trainer_pages_query_budget(client, trainer_africa, africa_workshop, workshop_index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from learning.factories import UserFactory, WorkshopPageFactory, WorkshopParticipantFactory

    client.force_login(trainer_africa)
    urls = [reverse("learning:workshop_trainer"), _upload_url(africa_workshop)]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    WorkshopMaterialFactory(workshop=africa_workshop)
    WorkshopParticipantFactory(workshop=africa_workshop)
    counts()  # warm up the per-process caches (site root paths, content types)
    few = counts()
    for index in range(5):
        material = WorkshopMaterialFactory(workshop=africa_workshop)
        material.topics.add(f"topic {index}")
        services.replace_material(material, make_upload(f"v{index}.png", PNG), user=trainer_africa)
        WorkshopParticipantFactory(workshop=africa_workshop, user=UserFactory())
        WorkshopPageFactory(parent=workshop_index, region=africa_workshop.region)
    assert counts() == few


def test_xhr_upload_with_bad_shared_fields_answers_400_json(
    client, trainer_africa, africa_workshop, pdf_bytes
):
    client.force_login(trainer_africa)
    response = client.post(
        _upload_url(africa_workshop),
        _upload_data(make_upload("a.pdf", pdf_bytes), kind="poster"),
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    assert not WorkshopMaterial.objects.exists()


def test_a_legacy_word_file_with_macros_is_refused_and_nothing_stored(
    client, trainer_africa, africa_workshop
):
    from tests import ole2

    client.force_login(trainer_africa)
    response = client.post(
        _upload_url(africa_workshop),
        _upload_data(
            make_upload("minutes.doc", ole2.word_document()),
            make_upload("tool.doc", ole2.word_document(with_macros=True)),
        ),
    )

    assert response.status_code == 200
    assert "“tool.doc” contains macros" in response.content.decode()
    assert list(WorkshopMaterial.objects.values_list("original_filename", flat=True)) == [
        "minutes.doc"
    ]


def test_plain_form_guesses_kind_and_title_per_file_and_defaults_to_participants(
    client, trainer_africa, africa_workshop, pdf_bytes
):
    client.force_login(trainer_africa)
    form = client.get(_upload_url(africa_workshop)).context["form"]
    assert form["visibility"].value() == WorkshopMaterial.Visibility.PARTICIPANTS
    assert form["kind"].value() in ("", None)
    # The platform's six languages first; the others grouped below.
    choices = list(form.fields["language"].choices)
    assert [code for code, _name in choices[:6]] == ["en", "fr", "es", "ar", "zh-hans", "ru"]
    assert len(choices) == 7 and isinstance(choices[6][1], list)

    data = _upload_data(
        make_upload("flipchart group3.png", PNG),
        make_upload("stakeholder_mapping.pdf", pdf_bytes),
        kind="",
    )
    del data["visibility"]
    data["visibility"] = form["visibility"].value()
    assert client.post(_upload_url(africa_workshop), data).status_code == 302
    materials = {m.original_filename: m for m in WorkshopMaterial.objects.all()}
    photo = materials["flipchart group3.png"]
    assert (photo.title, photo.kind, photo.visibility) == (
        "Flipchart group 3",
        "photo",
        "participants",
    )
    assert materials["stakeholder_mapping.pdf"].kind == "handout"
    assert materials["stakeholder_mapping.pdf"].title == "Stakeholder mapping"


def test_a_title_given_for_one_file_is_used(client, trainer_africa, africa_workshop, pdf_bytes):
    client.force_login(trainer_africa)
    client.post(
        _upload_url(africa_workshop),
        _upload_data(make_upload("doc1.pdf", pdf_bytes), title="Field guide"),
    )
    assert WorkshopMaterial.objects.get().title == "Field guide"


@pytest.mark.parametrize(
    ("name", "title", "kind"),
    [
        ("flipchart group3.jpg", "Flipchart group 3", "photo"),
        ("Stakeholder-Mapping_v2.pptx", "Stakeholder Mapping v2", "slides"),
        ("KM4B_report.pdf", "KM4B report", "handout"),
        ("interview.mp3", "Interview", "recording"),
    ],
)
def test_title_and_kind_are_guessed_from_the_file_name(name, title, kind):
    assert (services.guess_title(name), services.guess_kind(name)) == (title, kind)
