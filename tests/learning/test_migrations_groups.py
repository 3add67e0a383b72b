import pytest
from django.contrib.auth.models import Group

from learning.models import Region

pytestmark = pytest.mark.django_db


def test_groups_exist_after_migrate_with_admin_access_for_staff_roles():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Learners", "Webinar organizers", "Trainers", "Course editors"} <= names
    for name in ("Webinar organizers", "Trainers", "Course editors"):
        perms = Group.objects.get(name=name).permissions.values_list("codename", flat=True)
        assert "access_admin" in perms
    assert (
        not Group.objects.get(name="Learners").permissions.filter(codename="access_admin").exists()
    )


def test_four_regions_are_seeded_with_their_countries():
    regions = {region.slug: region for region in Region.objects.all()}
    assert list(regions) == [
        "africa",
        "asia-pacific",
        "latin-america-caribbean",
        "central-eastern-europe",
    ]
    assert "KE" in [c.code for c in regions["africa"].countries]
    assert "BR" in [c.code for c in regions["latin-america-caribbean"].countries]
    assert "PL" in [c.code for c in regions["central-eastern-europe"].countries]


def test_learners_cannot_enter_the_wagtail_admin(client):
    from learning.factories import UserFactory

    client.force_login(UserFactory(groups=["Learners"]))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_staff_groups_can_enter_the_wagtail_admin(client):
    from learning.factories import UserFactory

    for group in ("Webinar organizers", "Trainers", "Course editors"):
        client.force_login(UserFactory(groups=[group]))
        assert client.get("/admin/").status_code == 200
