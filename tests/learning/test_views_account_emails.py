"""Account emails and messages name the site and the person, in the person's language:
never the host the request came to, never the username derived for them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "aminata.diallo@example.sn",
    "password1": "a-long-Passphrase-7",
    "password2": "a-long-Passphrase-7",
    "full_name": "Aminata Diallo",
    "country": "SN",
    "preferred_language": "fr",
    "time_zone": "Africa/Dakar",
    "privacy_consent": "on",
}


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_verification_email_greets_with_the_site_name_and_the_persons_name(client, settings):
    with translation.override("fr"):
        response = client.post(
            reverse("account_signup"), SIGNUP, HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="fr"
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(email=SIGNUP["email"])
    assert user.get_username() not in ("", SIGNUP["full_name"])

    (message,) = mail.outbox
    body = message.body
    greeting = body.splitlines()[0]
    assert settings.WAGTAIL_SITE_NAME in greeting
    assert "127.0.0.1" not in greeting
    assert "Aminata Diallo" in body
    assert user.get_username() not in body.replace(SIGNUP["email"], "")


def test_messages_name_the_person_not_their_username(client, user):
    from learning.factories import DEMO_PASSWORD

    user.username = "u-8f3a2c"
    user.save(update_fields=["username"])
    user.profile.full_name = "Nguyễn Thị Lan"
    user.profile.save()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("Nguyễn Thị Lan" in text for text in texts), texts
    assert not any("u-8f3a2c" in text for text in texts)
