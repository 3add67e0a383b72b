import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.factories import WorkshopMaterialFactory, WorkshopPageFactory
from learning.workshops import services
from tests.fixtures_workshops import make_upload

pytestmark = pytest.mark.django_db


def _queries(client, url):
    client.get(url)  # caches warm, as on a running site
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        response.content  # noqa: B018 - render fully
    return len(queries)


def test_index_lists_regions_with_workshop_counts(client, workshop_index, africa_workshop):
    html = client.get(workshop_index.url).content.decode()
    assert "Africa" in html and "Asia and the Pacific" in html
    assert "1 workshop" in html
    assert f'href="{workshop_index.url}regions/africa/"' in html


def test_region_page_lists_only_its_live_workshops(
    client, workshop_index, africa_workshop, asia_workshop
):
    draft = WorkshopPageFactory(parent=workshop_index, region=africa_workshop.region, live=False)
    html = client.get(f"{workshop_index.url}regions/africa/").content.decode()
    assert africa_workshop.title in html
    assert asia_workshop.title not in html
    assert draft.title not in html
    assert client.get(f"{workshop_index.url}regions/atlantis/").status_code == 404


def test_workshop_page_shows_details_and_public_materials(
    client, africa_workshop, africa_materials
):
    html = client.get(africa_workshop.url).content.decode()
    assert "Nairobi, Kenya" in html
    assert "English, French" in html
    assert "Africa public handout" in html
    assert "Africa participants handout" not in html
    assert "Africa trainers handout" not in html


def test_workshop_page_filters_by_language_kind_and_topic(client, africa_workshop):
    french = WorkshopMaterialFactory(workshop=africa_workshop, title="Guide FR", language="fr")
    slides = WorkshopMaterialFactory(workshop=africa_workshop, title="Deck", kind="slides")
    tagged = WorkshopMaterialFactory(workshop=africa_workshop, title="Synergy notes")
    tagged.topics.add("Rio synergies")

    def titles(query):
        html = client.get(africa_workshop.url + query).content.decode()
        return {m.title for m in (french, slides, tagged) if f">{m.title}</bdi></a>" in html}

    assert titles("") == {"Guide FR", "Deck", "Synergy notes"}
    assert titles("?language=fr") == {"Guide FR"}
    assert titles("?kind=slides") == {"Deck"}
    assert titles("?topic=rio-synergies") == {"Synergy notes"}
    # an unknown choice is ignored with an error, never a 500
    assert client.get(africa_workshop.url + "?kind=poster").status_code == 200


def test_search_across_titles_and_descriptions(
    client, workshop_index, africa_workshop, asia_workshop, learner
):
    WorkshopMaterialFactory(workshop=africa_workshop, title="Stakeholder mapping")
    WorkshopMaterialFactory(
        workshop=asia_workshop,
        title="Exercise sheet",
        kind="exercise",
        description="How to map stakeholders of a protected area.",
    )
    WorkshopMaterialFactory(workshop=asia_workshop, title="Secret mapping", visibility="trainers")
    WorkshopMaterialFactory(
        workshop=asia_workshop, title="Unrelated photo", description="Group photo."
    )

    client.force_login(learner)
    html = client.get(workshop_index.url + "?q=mapping").content.decode()
    assert "Stakeholder mapping" in html
    assert "Secret mapping" not in html
    assert "Unrelated photo" not in html

    html = client.get(workshop_index.url + "?q=stakeholders").content.decode()
    assert "Exercise sheet" in html

    html = client.get(workshop_index.url + "?q=mapping&region=asia-pacific").content.decode()
    assert "Stakeholder mapping" not in html


def test_search_finds_materials_by_their_topics(
    client,
    workshop_index,
    africa_workshop,
    trainer_africa,
    pdf_bytes,
    django_capture_on_commit_callbacks,
):
    """Issue 14, item 8: "stakeholder" finds a material tagged "stakeholder mapping", also
    once a trainer changes the topics (the index follows the topics, not only the save)."""
    with django_capture_on_commit_callbacks(execute=True):
        material = services.add_material(
            africa_workshop,
            make_upload("day2.pdf", pdf_bytes),
            user=trainer_africa,
            title="Day 2 handout",
            kind="handout",
            language="en",
            visibility="public",
            topics=["stakeholder mapping", "Ramsar"],
        )
    html = client.get(workshop_index.url + "?q=stakeholder").content.decode()
    assert "Day 2 handout" in html
    with django_capture_on_commit_callbacks(execute=True):
        services.update_material(material, user=trainer_africa, topics=["indicators"])
    assert "Day 2 handout" not in client.get(workshop_index.url + "?q=stakeholder").content.decode()
    assert "Day 2 handout" in client.get(workshop_index.url + "?q=indicators").content.decode()


def test_search_filters_without_words(client, workshop_index, africa_workshop, asia_workshop):
    WorkshopMaterialFactory(workshop=africa_workshop, title="Photo A", kind="photo")
    WorkshopMaterialFactory(workshop=asia_workshop, title="Report B", kind="report")
    html = client.get(workshop_index.url + "?kind=report").content.decode()
    assert "Report B" in html and "Photo A" not in html


def test_region_page_query_budget(client, workshop_index, africa):
    url = f"{workshop_index.url}regions/africa/"
    WorkshopPageFactory(parent=workshop_index, region=africa)
    few = _queries(client, url)
    for _ in range(5):
        workshop = WorkshopPageFactory(parent=workshop_index, region=africa)
        WorkshopMaterialFactory.create_batch(2, workshop=workshop)
    assert _queries(client, url) == few
    assert few <= 12


def test_workshop_page_query_budget(client, africa_workshop, participant):
    client.force_login(participant)
    WorkshopMaterialFactory(workshop=africa_workshop)
    few = _queries(client, africa_workshop.url)
    for index in range(6):
        material = WorkshopMaterialFactory(
            workshop=africa_workshop, visibility="participants" if index % 2 else "public"
        )
        material.topics.add(f"topic {index}")
    assert _queries(client, africa_workshop.url) == few
    assert few <= 24


def test_index_query_budget(client, workshop_index, africa, asia):
    WorkshopPageFactory(parent=workshop_index, region=africa)
    few = _queries(client, workshop_index.url)
    for region in (africa, asia):
        for _ in range(3):
            WorkshopPageFactory(parent=workshop_index, region=region)
    assert _queries(client, workshop_index.url) == few
    assert few <= 14


def test_home_page_shows_each_regions_workshops(client, africa, site_root_paths_cleared):
    from learning.demo import build_home_page
    from learning.factories import WorkshopIndexPageFactory

    home = build_home_page()
    index = WorkshopIndexPageFactory(parent=home)
    workshop = WorkshopPageFactory(parent=index, region=africa)
    html = client.get("/").content.decode()
    assert "Regional training workshops" in html
    assert f'href="{workshop.url}"' in html
    assert 'href="/workshops/regions/africa/"' in html


def test_bad_search_input_is_refused_without_error(client, workshop_index, africa_workshop):
    response = client.get(workshop_index.url, {"q": "x" * 500, "region": "atlantis"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "materials found" not in html


def test_search_offers_the_platform_languages_then_only_those_materials_have(
    client, workshop_index, africa_workshop
):
    WorkshopMaterialFactory(workshop=africa_workshop, language="sw", visibility="public")
    WorkshopMaterialFactory(workshop=africa_workshop, language="fr", visibility="public")
    form = client.get(workshop_index.url).context["search"]["form"]
    codes = [code for code, _name in form.fields["language"].choices]
    # "Any", the six interface languages, then Swahili: not Django's hundred.
    assert codes == ["", "en", "fr", "es", "ar", "zh-hans", "ru", "sw"]
    html = client.get(workshop_index.url, {"language": "sw"}).content.decode()
    assert 'value="sw" selected' in html
