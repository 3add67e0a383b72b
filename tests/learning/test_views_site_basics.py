"""What every page of the site relies on: a favicon, zones people can pick, no avatar
fetched from a third party."""

import pytest
from django.conf import settings

from learning.forms import ProfileForm
from learning.timezones import selectable_zone_names


def test_favicon_ico_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"


def test_zones_offered_exclude_tzdata_internals():
    names = selectable_zone_names()
    assert "Africa/Dakar" in names and "UTC" in names
    assert not {"localtime", "posixrules", "Factory"} & set(names)
    assert not [name for name in names if name.startswith(("posix/", "right/"))]
    assert list(names) == sorted(names)
    assert tuple(settings.WAGTAIL_USER_TIME_ZONES) == names


@pytest.mark.django_db
def test_profile_form_offers_the_same_zones():
    choices = [value for value, _label in ProfileForm.base_fields["time_zone"].choices]
    assert "localtime" not in choices and "Africa/Dakar" in choices


def test_admin_avatars_are_not_fetched_from_gravatar():
    from wagtail.users.utils import get_gravatar_url

    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert get_gravatar_url("learner@example.org") is None
