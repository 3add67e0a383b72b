from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from learning.factories import UserFactory
from tests.concurrency import run_concurrently
from webinars import services
from webinars.factories import (
    RegistrationFactory,
    RegistrationQuestionFactory,
    WebinarPageFactory,
    WebinarSeriesPageFactory,
)
from webinars.models import Registration, RegistrationQuestion, WebinarPage

Status = Registration.Status


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_registrations_for_ten_seats_never_oversell():
    webinar = WebinarPageFactory(capacity=10)
    users = [UserFactory() for _ in range(50)]

    _results, errors = run_concurrently(lambda user: services.register(webinar, user), users)

    assert errors == []
    statuses = list(Registration.objects.filter(webinar=webinar).values_list("status", flat=True))
    assert statuses.count(Status.CONFIRMED) == 10
    assert statuses.count(Status.WAITLISTED) == 40
    assert len(statuses) == 50


@pytest.mark.django_db(transaction=True)
def test_one_person_registering_in_parallel_requests_gets_one_seat():
    webinar = WebinarPageFactory(capacity=10)
    user = UserFactory()

    results, errors = run_concurrently(lambda _n: services.register(webinar, user), range(8))

    assert errors == []
    assert len({registration.pk for registration in results}) == 1
    assert list(Registration.objects.filter(webinar=webinar).values_list("status", flat=True)) == [
        Status.CONFIRMED
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_promote_one_waitlisted_person_each():
    webinar = WebinarPageFactory(capacity=3)
    confirmed = [RegistrationFactory(webinar=webinar) for _ in range(3)]
    waiting = [services.register(webinar, UserFactory()) for _ in range(5)]
    assert {r.status for r in waiting} == {Status.WAITLISTED}

    _results, errors = run_concurrently(
        lambda registration: services.cancel_registration(registration, user=registration.user),
        confirmed[:2],
    )

    assert errors == []
    assert Registration.objects.filter(webinar=webinar, status=Status.CONFIRMED).count() == 3
    promoted = Registration.objects.filter(webinar=webinar, status=Status.CONFIRMED).exclude(
        pk__in=[r.pk for r in confirmed]
    )
    assert {r.pk for r in promoted} == {waiting[0].pk, waiting[1].pk}


@pytest.fixture
def webinar(db):
    return WebinarPageFactory(capacity=2)


def test_register_confirms_while_seats_remain_then_waitlists(
    webinar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.register(webinar, UserFactory())
        second = services.register(webinar, UserFactory())
        third = services.register(webinar, UserFactory())

    assert [first.status, second.status, third.status] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
    ]
    assert len(mail.outbox) == 3
    assert "confirmed" in mail.outbox[0].subject.lower()
    assert mail.outbox[0].attachments[0][0] == "invite.ics"
    assert "waitlist" in mail.outbox[2].subject.lower()
    assert not mail.outbox[2].attachments


def test_register_twice_returns_the_existing_registration(webinar, user):
    first = services.register(webinar, user)
    again = services.register(webinar, user)

    assert again.pk == first.pk
    assert Registration.objects.filter(webinar=webinar).count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"status": WebinarPage.Status.CANCELLED},
        {"registration_closes_at": timezone.now() - timedelta(hours=1)},
    ],
)
def test_registering_again_once_closed_returns_the_registration_not_an_error(
    webinar, user, changes
):
    first = services.register(webinar, user)
    WebinarPage.objects.filter(pk=webinar.pk).update(**changes)
    webinar.refresh_from_db()

    again = services.register(webinar, user)

    assert (again.pk, again.status) == (first.pk, Status.CONFIRMED)
    assert Registration.objects.filter(webinar=webinar).count() == 1


def test_unlimited_capacity_confirms_everyone(db):
    webinar = WebinarPageFactory(capacity=None)
    statuses = {services.register(webinar, UserFactory()).status for _ in range(5)}
    assert statuses == {Status.CONFIRMED}


def test_approval_required_makes_registrations_pending(db, user):
    webinar = WebinarPageFactory(approval_required=True)
    assert services.register(webinar, user).status == Status.PENDING


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": WebinarPage.Status.CANCELLED}, "cancelled"),
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, "closed"),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "closed"),
    ],
)
def test_register_refuses_when_closed_or_cancelled(db, user, changes, message):
    webinar = WebinarPageFactory(**changes)
    with pytest.raises(services.RegistrationError, match=message):
        services.register(webinar, user)
    assert not Registration.objects.filter(webinar=webinar).exists()


def test_register_refuses_after_the_start(db, user):
    start = timezone.now() - timedelta(minutes=5)
    webinar = WebinarPageFactory(start=start, end=start + timedelta(hours=1))
    with pytest.raises(services.RegistrationError):
        services.register(webinar, user)


def test_answers_are_validated_and_stored_by_question(webinar, user):
    motivation = RegistrationQuestionFactory(page=webinar, label="Why?", required=True)
    sector = RegistrationQuestionFactory(
        page=webinar,
        label="Sector",
        kind=RegistrationQuestion.Kind.SINGLE,
        choices="Government\nAcademia\nNGO",
    )
    topics = RegistrationQuestionFactory(
        page=webinar,
        label="Topics",
        kind=RegistrationQuestion.Kind.MULTIPLE,
        choices="CHM\nNBSAP\nIPLC",
    )

    with pytest.raises(services.RegistrationError, match="Why"):
        services.register(webinar, user, {sector.key: "NGO"})
    with pytest.raises(services.RegistrationError, match="Sector"):
        services.register(webinar, user, {motivation.key: "x", sector.key: "Pirates"})
    with pytest.raises(services.RegistrationError, match="Topics"):
        services.register(webinar, user, {motivation.key: "x", topics.key: ["CHM", "Nope"]})
    assert not Registration.objects.filter(webinar=webinar).exists()

    registration = services.register(
        webinar, user, {motivation.key: " To learn ", sector.key: "NGO", topics.key: ["CHM"]}
    )
    assert registration.answers == {
        motivation.key: "To learn",
        sector.key: "NGO",
        topics.key: ["CHM"],
    }


def test_cancel_promotes_exactly_the_first_waitlisted_and_emails_them(
    webinar, django_capture_on_commit_callbacks
):
    holders = [services.register(webinar, UserFactory()) for _ in range(2)]
    first_waiting = services.register(webinar, UserFactory())
    second_waiting = services.register(webinar, UserFactory())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(holders[0], user=holders[0].user)

    statuses = dict(Registration.objects.filter(webinar=webinar).values_list("pk", "status"))
    assert statuses[holders[0].pk] == Status.CANCELLED
    assert statuses[first_waiting.pk] == Status.CONFIRMED
    assert statuses[second_waiting.pk] == Status.WAITLISTED
    recipients = {message.to[0]: message for message in mail.outbox}
    assert set(recipients) == {holders[0].user.email, first_waiting.user.email}
    assert "METHOD:CANCEL" in recipients[holders[0].user.email].attachments[0][1]
    assert "METHOD:REQUEST" in recipients[first_waiting.user.email].attachments[0][1]


def test_cancelled_registration_can_register_again_at_the_end_of_the_queue(webinar, user):
    registration = services.register(webinar, user)
    services.cancel_registration(registration, user=user)
    again = services.register(webinar, user)
    assert again.pk == registration.pk
    assert again.status == Status.CONFIRMED


def test_someone_else_cannot_cancel_a_registration(webinar, user, other_user):
    registration = services.register(webinar, user)
    with pytest.raises(PermissionDenied):
        services.cancel_registration(registration, user=other_user)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_organizer_approves_rejects_and_moves_off_the_waitlist(db):
    organizer = UserFactory()
    series = WebinarSeriesPageFactory(organizers=[organizer])
    webinar = WebinarPageFactory(parent=series, capacity=1, approval_required=True)
    first = services.register(webinar, UserFactory())
    second = services.register(webinar, UserFactory())
    third = services.register(webinar, UserFactory())

    assert services.approve_registration(first, organizer).status == Status.CONFIRMED
    assert services.approve_registration(second, organizer).status == Status.WAITLISTED
    assert services.reject_registration(third, organizer).status == Status.CANCELLED
    with pytest.raises(services.RegistrationError, match="full"):
        services.move_off_waitlist(second, organizer)

    WebinarPage.objects.filter(pk=webinar.pk).update(capacity=2)
    assert services.move_off_waitlist(second, organizer).status == Status.CONFIRMED


def test_organizer_of_another_series_cannot_manage_registrations(db):
    outsider = UserFactory()
    WebinarSeriesPageFactory(organizers=[outsider])
    webinar = WebinarPageFactory(approval_required=True)
    registration = services.register(webinar, UserFactory())

    for action in (
        services.approve_registration,
        services.reject_registration,
        services.move_off_waitlist,
    ):
        with pytest.raises(PermissionDenied):
            action(registration, outsider)
    registration.refresh_from_db()
    assert registration.status == Status.PENDING
