"""Resume state is bounded per learner and activity (issue 18, item 6): bytes per saved
state, number of saved states, and requests per minute."""

import pytest
from django.test import override_settings

from learning.h5p import tokens
from learning.models import H5PUserData
from tests.fixtures_h5p_play import content_host

pytestmark = pytest.mark.django_db


@pytest.fixture
def state_url(activity_page, quick_check_content, user):
    version = quick_check_content.current_version
    token = tokens.issue_token(user_id=user.pk, version_id=version.pk, page_id=activity_page.pk)
    return lambda data_type="state", sub="0": f"/h5p/{token}/state/{version.pk}/{data_type}/{sub}/"


def save(client, url, data):
    return client.post(url, {"data": data}, HTTP_HOST=content_host(url))


def test_thirty_made_up_data_types_of_200_kb_are_not_stored(client, state_url):
    big = '{"x": "' + "a" * 200 * 1024 + '"}'
    statuses = {save(client, state_url(f"made-up-{n}"), big).status_code for n in range(30)}
    assert statuses == {413}
    assert not H5PUserData.objects.exists()
    response = save(client, state_url(), big)
    assert "too large" in response.json()["message"] and "64" in response.json()["message"]


def test_saved_states_per_activity_are_capped(client, state_url, user):
    small = '{"a": 1}'
    for n in range(20):
        assert save(client, state_url(f"type-{n}"), small).status_code == 200
    refused = save(client, state_url("type-20"), small)
    assert refused.status_code == 400
    assert refused.json() == {
        "success": False,
        "message": "An activity may keep at most 20 saved states per learner.",
    }
    assert H5PUserData.objects.filter(user=user).count() == 20
    # Updating one of them is still possible, and deleting one frees a place.
    assert save(client, state_url("type-3"), '{"a": 2}').status_code == 200
    assert save(client, state_url("type-3"), "0").status_code == 200
    assert save(client, state_url("type-20"), small).status_code == 200


def test_the_cap_is_a_setting(client, state_url):
    with override_settings(LEARNING_H5P_STATE_MAX_ROWS=2, LEARNING_H5P_STATE_MAX_SIZE=100):
        assert save(client, state_url("a"), "{}").status_code == 200
        assert save(client, state_url("a", "sub-1"), "{}").status_code == 200
        assert save(client, state_url("b"), "{}").status_code == 400
        assert save(client, state_url("a"), "x" * 101).status_code == 413


@pytest.mark.parametrize("name", ["st\u202eate", "a b", "state%00"])
def test_odd_state_names_are_refused(client, state_url, name):
    response = save(client, state_url(name), "{}")
    assert response.status_code in (400, 404)
    assert not H5PUserData.objects.exists()


def test_the_endpoint_is_rate_limited_per_learner_and_activity(
    client, state_url, activity_page, quick_check_content, other_user
):
    with override_settings(LEARNING_H5P_STATE_RATE_LIMIT=5):
        for _n in range(5):
            assert save(client, state_url(), "{}").status_code == 200
        limited = save(client, state_url(), "{}")
        assert limited.status_code == 429
        assert limited["Retry-After"] == "60"
        assert limited.json()["message"] == "Too many saves; try again in a minute."
        assert client.get(state_url(), HTTP_HOST=content_host(state_url())).status_code == 429
        version = quick_check_content.current_version
        theirs = tokens.issue_token(
            user_id=other_user.pk, version_id=version.pk, page_id=activity_page.pk
        )
        other = f"/h5p/{theirs}/state/{version.pk}/state/0/"
        assert save(client, other, "{}").status_code == 200
