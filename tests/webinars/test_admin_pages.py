import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from learning.migration_utils import GROUP_ORGANIZERS
from webinars.factories import SpeakerFactory, WebinarPageFactory

pytestmark = pytest.mark.django_db


def test_organizers_group_has_the_webinar_permissions():
    group = Group.objects.get(name=GROUP_ORGANIZERS)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_speaker", "view_registration", "change_registration"} <= codenames
    assert "delete_registration" not in codenames


def test_webinar_page_editor_and_speaker_listing_render(
    client, admin_user, django_assert_max_num_queries
):
    webinar = WebinarPageFactory(speakers=[SpeakerFactory(name="Mei Lin", country="CN")])
    for index in range(20):
        SpeakerFactory(name=f"Speaker listed {index}")
    client.force_login(admin_user)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[webinar.pk]))
    add = client.get(
        reverse("wagtailadmin_pages:add", args=["webinars", "webinarpage", webinar.get_parent().pk])
    )
    with django_assert_max_num_queries(40):
        speakers = client.get(reverse("wagtailsnippets_webinars_speaker:list"))

    assert edit.status_code == add.status_code == speakers.status_code == 200
    assert "Registration questions" in edit.content.decode()
    assert "Mei Lin" in speakers.content.decode()


def test_end_before_start_is_refused():
    webinar = WebinarPageFactory()
    webinar.end = webinar.start
    with pytest.raises(ValidationError) as caught:
        webinar.full_clean()
    assert "end" in caught.value.message_dict
