import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from learning.models import WorkshopPage

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = nested_form_data(
        {
            "title": "Dakar KM workshop",
            "slug": "dakar-2026",
            "region": overrides.pop("region"),
            "start_date": "2026-04-14",
            "end_date": "2026-04-16",
            "is_online": "",
            "venue_city": "Dakar",
            "venue_country": "SN",
            "description": rich_text("<p>Trois jours.</p>"),
            "agenda": rich_text(""),
            "participants_count": "25",
            "trainers": inline_formset([{"name": "Awa Ndiaye", "affiliation": "CSE"}]),
            "related_links": inline_formset(
                [{"link_page": "", "link_url": "https://example.org/km4b", "link_title": "KM4B"}]
            ),
            "action-publish": "publish",
            **overrides,
        }
    )
    data["languages"] = ["fr", "en"]  # a multiple choice: repeated values, not nested ones
    return data


def _add_url(workshop_index):
    return reverse("wagtailadmin_pages:add", args=["learning", "workshoppage", workshop_index.pk])


def test_editor_creates_a_workshop_page(client, admin_user, workshop_index, africa):
    client.force_login(admin_user)
    response = client.post(_add_url(workshop_index), _data(region=africa.pk))
    assert response.status_code == 302, response.context["form"].errors
    page = WorkshopPage.objects.get(slug="dakar-2026")
    assert page.live and page.region == africa
    assert page.languages == ["fr", "en"]
    assert page.language_names == ["French", "English"]
    assert [t.name for t in page.trainers.all()] == ["Awa Ndiaye"]
    assert page.related_links.get().url == "https://example.org/km4b"
    html = client.get(page.url).content.decode()
    html = re.sub(r"</?bdi[^>]*>", "", html)  # values are isolated in <bdi>
    assert "Dakar, Senegal" in html and "Awa Ndiaye (CSE)" in html and "KM4B" in html


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"slug": "trainer"}, "is reserved"),
        ({"end_date": "2026-04-01"}, "cannot end before it starts"),
        ({"venue_city": ""}, "Give the city of the venue"),
    ],
)
def test_workshop_page_form_names_the_problem(
    client, admin_user, workshop_index, africa, overrides, message
):
    client.force_login(admin_user)
    response = client.post(_add_url(workshop_index), _data(region=africa.pk, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WorkshopPage.objects.filter(title="Dakar KM workshop").exists()
