"""Values from cookies, URLs and search boxes: a clear answer or the default, never a 500
(issue 18, item 8)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.timezones import TIME_ZONE_COOKIE, parse_zone

pytestmark = pytest.mark.django_db

HOSTILE_ZONES = ["America", "Europe", "x" * 300, "Europe/" + "y" * 260, "../../etc/passwd", "\x00"]


@pytest.mark.parametrize("value", HOSTILE_ZONES)
def test_a_zone_cookie_naming_no_zone_falls_back_to_the_default(client, user, value):
    assert parse_zone(value) is None
    client.cookies[TIME_ZONE_COOKIE] = value
    assert client.get("/").status_code == 200
    client.force_login(user)
    assert client.get(reverse("learning:dashboard")).status_code == 200


def test_a_real_zone_in_the_cookie_is_still_used(client):
    client.cookies[TIME_ZONE_COOKIE] = "Asia%2FKolkata"
    response = client.get("/")
    assert response.status_code == 200
    assert str(parse_zone("Asia/Kolkata")) == "Asia/Kolkata"
    assert timezone.get_current_timezone_name() != "Asia/Kolkata"  # deactivated after


TOO_BIG = 2**64


@pytest.mark.parametrize(
    "name",
    ["webinars:webinar_ics", "webinars:series_ics", "webinars:register", "webinars:cancel"],
)
def test_an_id_beyond_64_bits_is_not_found(client, user, name):
    client.force_login(user)
    url = reverse(name, args=[10**17]).replace(str(10**17), str(TOO_BIG))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code in (404, 405)


@pytest.mark.parametrize("prefix", ["/admin/course-enrolments/", "/admin/webinar-registrations/"])
@pytest.mark.parametrize("suffix", ["", "export.csv"])
def test_an_admin_id_beyond_64_bits_is_not_found(client, admin_user, prefix, suffix):
    client.force_login(admin_user)
    assert client.get(f"{prefix}{TOO_BIG}/{suffix}", follow=True).status_code == 404
    assert client.get(f"{prefix}{10**17}/{suffix}").status_code in (302, 404)


QUOTES = ['"', 'a "b', '""', '"knowledge', "knowledge\"'s"]


@pytest.mark.parametrize("q", QUOTES)
def test_quotes_in_the_admin_page_search_are_searched_not_crashed(client, admin_user, q):
    client.force_login(admin_user)
    for url in ("/admin/pages/search/", "/admin/choose-page/search/"):
        assert client.get(url, {"q": q}).status_code == 200


@pytest.mark.parametrize("q", QUOTES)
def test_quotes_in_the_material_search(client, workshop_index, africa_workshop, q):
    response = client.get(workshop_index.url, {"q": q})
    assert response.status_code == 200


def test_a_quoted_word_still_finds_the_material(client, workshop_index, africa_workshop):
    from learning.factories import WorkshopMaterialFactory

    WorkshopMaterialFactory(workshop=africa_workshop, title="Stakeholder mapping")
    for q in ('"stakeholder"', 'stakeholder"', "stakeholder"):
        response = client.get(workshop_index.url, {"q": q})
        assert "Stakeholder mapping" in response.content.decode(), q


CROSS_CUTTING = [
    "/admin/reports/site-history/",
    "/admin/reports/site-history/results/?q=Asia",
    "/admin/reports/aging-pages/",
    "/admin/reports/locked/",
    "/admin/reports/page-types-usage/",
    "/admin/reports/workflow/",
]


@pytest.mark.parametrize("url", CROSS_CUTTING)
def test_a_trainer_cannot_read_the_whole_site_reports(client, trainer_africa, asia_materials, url):
    """Issue 18, item 11: Wagtail's site history showed an Africa trainer the titles of
    Asia-Pacific materials."""
    client.force_login(trainer_africa)
    response = client.get(url)
    assert response.status_code == 403
    assert asia_materials["trainers"].title not in response.content.decode()


def test_the_reports_menu_of_a_trainer_has_no_cross_cutting_report(client, trainer_africa):
    client.force_login(trainer_africa)
    html = client.get("/admin/").content.decode()
    assert "/admin/reports/site-history/" not in html
    assert "/admin/reports/aging-pages/" not in html


@pytest.mark.parametrize("url", CROSS_CUTTING)
def test_an_administrator_keeps_the_reports(client, admin_user, url):
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
