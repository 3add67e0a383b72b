"""Sign-up, email verification, login, rate limits and the profile page (allauth)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.learner@example.org",
    "password1": "a-long-Passphrase-7",
    "password2": "a-long-Passphrase-7",
    "full_name": "ليلى حسن",
    "country": "EG",
    "preferred_language": "ar",
    "time_zone": "Africa/Cairo",
    "privacy_consent": "on",
}


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _confirmation_link(message):
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body)
    assert match, message.body
    return match.group(0).split("testserver", 1)[-1]


def test_signup_sends_verification_then_verified_user_can_log_in(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = get_user_model().objects.get(email=SIGNUP["email"])
    assert user.profile.full_name == "ليلى حسن"
    assert user.profile.country.code == "EG"
    assert user.profile.time_zone == "Africa/Cairo"
    assert list(user.groups.values_list("name", flat=True)) == ["Learners"]
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mail.outbox) == 1
    link = _confirmation_link(mail.outbox[0])
    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_unverified_user_cannot_log_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_rate_limit_blocks_after_repeated_failures(client, user):
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "bad"})
        assert response.status_code == 200
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "demo-pass-2026"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert b"Too many failed login attempts" in response.content or response.status_code == 429


def test_password_reset_does_not_reveal_whether_an_account_exists(client, user):
    known = client.post(reverse("account_reset_password"), {"email": user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 2  # allauth tells the unknown address it has no account


def test_signup_page_uses_site_templates(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert b'class="site-header"' in response.content
    assert b'name="full_name"' in response.content
    assert b'name="time_zone"' in response.content


def test_profile_requires_login(client):
    response = client.get(reverse("learning:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_profile_edit_changes_language_and_zone(client, user):
    client.force_login(user)
    response = client.post(
        reverse("learning:profile"),
        {
            "full_name": "王芳",
            "country": "CN",
            "preferred_language": "zh-hans",
            "time_zone": "Asia/Shanghai",
        },
    )
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert (user.profile.full_name, user.profile.time_zone) == ("王芳", "Asia/Shanghai")
    response = client.get(reverse("learning:profile"))
    assert "Asia/Shanghai" in response.content.decode()
    assert 'lang="zh-hans"' in response.content.decode()


def test_profile_changed_elsewhere_applies_on_the_next_request(client, user):
    client.force_login(user)
    assert 'dir="ltr"' in client.get(reverse("learning:profile")).text
    user.profile.preferred_language = "ar"
    user.profile.time_zone = "Asia/Riyadh"
    user.profile.save()
    response = client.get(reverse("learning:profile"))
    assert 'dir="rtl"' in response.text and 'lang="ar"' in response.text


def test_profile_rejects_unknown_time_zone_and_keeps_data(client, user):
    client.force_login(user)
    before = user.profile.full_name
    response = client.post(
        reverse("learning:profile"),
        {"full_name": "X", "preferred_language": "en", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    user.profile.refresh_from_db()
    assert user.profile.full_name == before


@pytest.mark.parametrize(("language", "egypt"), [("ar", "مصر"), ("ru", "Египет"), ("en", "Egypt")])
def test_country_names_are_in_the_readers_language(language, egypt):
    """The choices are listed when the form is made, not once at import in English."""
    from django.utils import translation

    from learning.forms import SignupProfileForm

    with translation.override(language):
        choices = dict(SignupProfileForm().fields["country"].choices)
    assert str(choices["EG"]) == egypt
