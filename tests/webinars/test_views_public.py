from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning.factories import UserFactory
from webinars import services
from webinars.factories import RegistrationQuestionFactory, WebinarPageFactory
from webinars.models import Registration, WebinarPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def webinar():
    return WebinarPageFactory(capacity=1)


def test_webinar_page_shows_times_in_viewer_zone_and_never_the_join_url(client, webinar):
    registrant = UserFactory(profile__time_zone="Asia/Tokyo")
    services.register(webinar, registrant)

    anonymous = client.get(webinar.url)
    client.force_login(registrant)
    registered = client.get(webinar.url)

    assert anonymous.status_code == registered.status_code == 200
    assert "Europe/Paris" in anonymous.content.decode()  # the event's zone as a fallback
    assert "Asia/Tokyo" in registered.content.decode()
    for response in (anonymous, registered):
        assert webinar.join_url not in response.content.decode()
    assert reverse("webinars:join", args=[webinar.registrations.get().token]) in (
        registered.content.decode()
    )


def test_logged_in_non_registrant_sees_no_join_link_or_url(client, webinar, user):
    services.register(webinar, UserFactory())
    client.force_login(user)

    body = client.get(webinar.url).content.decode()

    assert webinar.join_url not in body
    assert "/webinars/join/" not in body
    assert "Join the waitlist" in body  # the only seat is taken


def test_webinar_page_query_count_does_not_grow_with_registrations(
    client, webinar, user, django_assert_max_num_queries
):
    for _ in range(30):
        Registration.objects.create(webinar=webinar, user=UserFactory(), status="waitlisted")
    client.force_login(user)
    with django_assert_max_num_queries(30):
        assert client.get(webinar.url).status_code == 200


def test_series_page_lists_upcoming_and_past_sessions(
    client, webinar, django_assert_max_num_queries
):
    series = webinar.get_parent().specific
    start = timezone.now() - timedelta(days=10)
    past = WebinarPageFactory(parent=series, start=start, end=start + timedelta(hours=1))
    for _ in range(5):
        WebinarPageFactory(parent=series)

    with django_assert_max_num_queries(30):
        response = client.get(series.url)

    body = response.content.decode()
    assert webinar.title in body and past.title in body
    assert body.index("Upcoming sessions") < body.index(webinar.title)
    assert body.index("Past sessions") < body.index(past.title)


def test_register_with_one_post_then_waitlist(client, webinar):
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    response = client.post(reverse("webinars:register", args=[webinar.pk]))
    assert response.status_code == 302
    client.force_login(second)
    client.post(reverse("webinars:register", args=[webinar.pk]))

    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "waitlisted"}


def test_register_requires_login(client, webinar):
    response = client.post(reverse("webinars:register", args=[webinar.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_invalid_answers_rerender_the_page_with_the_error(client, webinar, user):
    question = RegistrationQuestionFactory(page=webinar, label="Your organisation", required=True)
    client.force_login(user)

    response = client.post(
        reverse("webinars:register", args=[webinar.pk]), {f"registration-{question.key}": ""}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Your organisation" in body
    assert "This field is required" in body
    assert not Registration.objects.exists()
    field_id = f"id_registration-{question.key}"
    # Marked as required, linked from the error summary, focused, flagged as invalid.
    assert '<span class="required-marker">(required)</span>' in body
    assert f'<a href="#{field_id}">' in body
    field = body[body.index(f'id="{field_id}"') - 300 : body.index(f'id="{field_id}"') + 50]
    assert "autofocus" in field and 'aria-invalid="true"' in field


def test_closed_registration_is_a_clear_error_not_a_500(client, user):
    webinar = WebinarPageFactory(status=WebinarPage.Status.CANCELLED)
    client.force_login(user)
    response = client.post(reverse("webinars:register", args=[webinar.pk]))
    assert response.status_code == 400
    assert "cancelled" in response.content.decode()


def test_cancel_view_frees_the_seat_for_the_waitlist(client, webinar):
    holder, waiting = UserFactory(), UserFactory()
    services.register(webinar, holder)
    waitlisted = services.register(webinar, waiting)
    client.force_login(holder)

    response = client.post(reverse("webinars:cancel", args=[webinar.pk]))

    assert response.status_code == 302
    waitlisted.refresh_from_db()
    assert waitlisted.status == "confirmed"


def test_cancel_view_only_touches_the_users_own_registration(client, webinar, user, other_user):
    registration = services.register(webinar, user)
    client.force_login(other_user)
    response = client.post(reverse("webinars:cancel", args=[webinar.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def _starting_in(minutes, **kwargs):
    start = timezone.now() + timedelta(minutes=minutes)
    return WebinarPageFactory(start=start, end=start + timedelta(hours=1), **kwargs)


def test_join_link_redirects_a_confirmed_registrant_once_open_and_counts_the_click(client, user):
    webinar = _starting_in(20)
    registration = Registration.objects.create(webinar=webinar, user=user, status="confirmed")
    url = reverse("webinars:join", args=[registration.token])

    page = client.get(url)
    joined = client.post(url)

    assert page.status_code == 200
    assert webinar.join_url not in page.content.decode()
    assert {"private", "no-store"} <= {v.strip() for v in page["Cache-Control"].split(",")}
    assert joined.status_code == 302
    assert joined["Location"] == webinar.join_url
    assert "no-store" in joined["Cache-Control"] and "private" in joined["Cache-Control"]
    # The page's form must carry its origin (CSRF); the redirect must carry no referrer.
    assert page["Referrer-Policy"] == "same-origin"
    assert joined["Referrer-Policy"] == "no-referrer"
    registration.refresh_from_db()
    assert registration.join_clicks == 1
    assert registration.first_joined_at is not None


def test_join_link_is_closed_until_thirty_minutes_before_the_start(client, user):
    webinar = _starting_in(45)
    registration = Registration.objects.create(webinar=webinar, user=user, status="confirmed")
    url = reverse("webinars:join", args=[registration.token])

    response = client.post(url)

    assert response.status_code == 200
    assert webinar.join_url not in response.content.decode()
    assert "Joining opens at" in response.content.decode()
    registration.refresh_from_db()
    assert registration.join_clicks == 0


@pytest.mark.parametrize("status", ["waitlisted", "pending", "cancelled"])
def test_join_link_never_reveals_the_url_to_unconfirmed_registrants(client, user, status):
    webinar = _starting_in(5)
    registration = Registration.objects.create(webinar=webinar, user=user, status=status)
    url = reverse("webinars:join", args=[registration.token])

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 403
        assert webinar.join_url not in response.content.decode()
        assert not response.has_header("Location")


def test_unknown_join_token_is_404(client):
    _starting_in(5)
    assert client.get(reverse("webinars:join", args=["not-a-token"])).status_code == 404


def test_join_form_passes_the_csrf_origin_check_from_our_own_pages(user):
    """A browser posts the "Join now" form with the page's origin (the join page is served
    with a referrer policy that lets it): Django's CSRF check lets it through."""
    webinar = _starting_in(10)
    registration = Registration.objects.create(webinar=webinar, user=user, status="confirmed")
    url = reverse("webinars:join", args=[registration.token])
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url)
    token = page.context["csrf_token"]

    foreign = browser.post(url, {"csrfmiddlewaretoken": str(token)}, headers={"Origin": "null"})
    ours = browser.post(
        url, {"csrfmiddlewaretoken": str(token)}, headers={"Origin": "http://testserver"}
    )

    assert foreign.status_code == 403
    assert ours.status_code == 302 and ours["Location"] == webinar.join_url


def test_webinar_page_offers_join_now_once_the_window_opens(client, user):
    webinar = _starting_in(10)
    registration = Registration.objects.create(webinar=webinar, user=user, status="confirmed")
    client.force_login(user)

    response = client.get(webinar.url)
    body = response.content.decode()

    join = reverse("webinars:join", args=[registration.token])
    assert f'action="{join}"' in body and "Join now on Zoom" in body
    cache_control = {v.strip() for v in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "Joining opens at" not in body
    assert webinar.join_url not in body


def test_webinar_page_says_when_joining_opens_before_the_window(client, user):
    webinar = _starting_in(120)
    registration = Registration.objects.create(webinar=webinar, user=user, status="confirmed")
    client.force_login(user)

    body = client.get(webinar.url).content.decode()

    assert "Joining opens at" in body and "Join now" not in body
    assert f'href="{reverse("webinars:join", args=[registration.token])}"' in body


@pytest.mark.parametrize("status", ["waitlisted", "pending"])
def test_webinar_page_offers_no_join_to_unconfirmed_registrants(client, user, status):
    webinar = _starting_in(10)
    Registration.objects.create(webinar=webinar, user=user, status=status)
    client.force_login(user)

    body = client.get(webinar.url).content.decode()

    assert "Join now" not in body and "/webinars/join/" not in body
    assert webinar.join_url not in body


def test_cancelling_asks_for_confirmation_first(client, webinar, user):
    registration = services.register(webinar, user)
    client.force_login(user)
    page = client.get(webinar.url).content.decode()
    url = reverse("webinars:cancel", args=[webinar.pk])
    assert f'class="button button-danger" href="{url}"' in page

    confirm = client.get(url)

    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Yes, cancel my registration" in body and 'class="button-danger"' in body
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert client.get(url).status_code == 404  # nothing left to cancel


def test_waitlisted_people_see_their_position(client, webinar):
    services.register(webinar, UserFactory())
    first, second = (services.register(webinar, UserFactory()) for _ in range(2))
    assert first.status == second.status == "waitlisted"

    client.force_login(second.user)
    assert "You are number <bdi>2</bdi> on the waitlist" in client.get(webinar.url).content.decode()
    services.cancel_registration(first, user=first.user)
    assert "You are next on the waitlist" in client.get(webinar.url).content.decode()


def test_no_waitlist_offered_when_the_organizers_approve(client, user):
    webinar = WebinarPageFactory(capacity=1, approval_required=True)
    Registration.objects.create(webinar=webinar, user=UserFactory(), status="confirmed")
    client.force_login(user)

    body = client.get(webinar.url).content.decode()

    assert "Join the waitlist" not in body
    assert ">Register</button>" in body
