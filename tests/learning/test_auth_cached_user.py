"""The signed-in user's row comes from the cache; every change made through Django is seen
on the next request."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.backends import CachedAuthenticationBackend, CachedModelBackend

pytestmark = pytest.mark.django_db

PROFILE = "learning:profile"


def test_signed_in_requests_after_the_first_do_not_load_the_user(client, user):
    client.force_login(user)
    assert client.get(reverse(PROFILE)).status_code == 200
    user_table = get_user_model()._meta.db_table
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(PROFILE)).status_code == 200
    assert captured.captured_queries  # the page itself still reads the profile
    assert not [q for q in captured.captured_queries if f'FROM "{user_table}"' in q["sql"]]


def test_deactivated_user_is_signed_out_on_the_next_request(client, user):
    client.force_login(user)
    assert client.get(reverse(PROFILE)).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse(PROFILE))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_password_change_elsewhere_ends_the_session(client, user):
    client.force_login(user)
    assert client.get(reverse(PROFILE)).status_code == 200
    user.set_password("a new and long passphrase")
    user.save()
    assert client.get(reverse(PROFILE)).status_code == 302


def test_deleted_user_is_anonymous_on_the_next_request(client, user):
    client.force_login(user)
    assert client.get(reverse(PROFILE)).status_code == 200
    user.delete()
    assert client.get(reverse(PROFILE)).status_code == 302


@pytest.mark.parametrize("backend", [CachedModelBackend, CachedAuthenticationBackend])
def test_backends_return_the_saved_row(user, backend):
    assert backend().get_user(user.pk).email == user.email  # now cached
    user.email = "renamed@example.org"
    user.save()
    assert backend().get_user(user.pk).email == "renamed@example.org"
    assert backend().get_user(user.pk + 1000) is None
