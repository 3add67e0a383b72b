from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from learning.factories import UserFactory
from tests.concurrency import run_concurrently
from webinars import calendar, services, tasks
from webinars.factories import RegistrationFactory, WebinarPageFactory
from webinars.models import Registration, WebinarPage

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def registration(db):
    return RegistrationFactory(user=UserFactory(profile__time_zone="America/Bogota"))


def test_reminder_is_sent_once_in_the_recipients_zone(registration):
    webinar = registration.webinar

    assert tasks.send_reminder.call(registration.pk, "24h", webinar.sequence) is True
    assert tasks.send_reminder.call(registration.pk, "24h", webinar.sequence) is False

    assert len(mail.outbox) == 1
    assert "America/Bogota" in mail.outbox[0].body
    registration.refresh_from_db()
    assert registration.reminder_24h_sent_at is not None


def test_one_hour_reminder_carries_the_personal_join_link_not_the_platform_url(registration):
    tasks.send_reminder.call(registration.pk, "1h", registration.webinar.sequence)

    body = mail.outbox[0].body
    assert calendar.join_link(registration) in body
    assert registration.webinar.join_url not in body


@pytest.mark.parametrize(
    "change",
    [
        {"status": Registration.Status.WAITLISTED},
        {"status": Registration.Status.CANCELLED},
    ],
)
def test_no_reminder_for_unconfirmed_registrations(registration, change):
    Registration.objects.filter(pk=registration.pk).update(**change)
    assert tasks.send_reminder.call(registration.pk, "24h", 0) is False
    assert mail.outbox == []


def test_reminder_of_an_older_schedule_is_void(registration):
    WebinarPage.objects.filter(pk=registration.webinar_id).update(sequence=1)
    assert tasks.send_reminder.call(registration.pk, "24h", 0) is False
    assert tasks.send_reminder.call(registration.pk, "24h", 1) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_reminder_run_twice_in_parallel_sends_one_email():
    registration = RegistrationFactory()
    results, errors = run_concurrently(
        lambda _n: tasks.send_reminder.call(registration.pk, "1h", 0), range(2)
    )

    assert errors == []
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1


def _scheduled(webinar_id):
    return sorted(
        (result.run_after, result.args_kwargs["args"][1], result.args_kwargs["args"][2])
        for result in DBTaskResult.objects.filter(task_path="webinars.tasks.send_reminders")
        if result.args_kwargs["args"][0] == webinar_id
    )


@override_settings(TASKS=DB_TASKS)
def test_publication_schedules_both_reminder_rounds_and_reschedule_replaces_them(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        webinar = WebinarPageFactory()
    organizer = UserFactory(is_superuser=True)
    assert _scheduled(webinar.pk) == [
        (webinar.start - timedelta(hours=24), "24h", 0),
        (webinar.start - timedelta(hours=1), "1h", 0),
    ]

    new_start = webinar.start + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        webinar = services.reschedule(
            webinar, start=new_start, end=new_start + timedelta(hours=1), user=organizer
        )

    assert webinar.sequence == 1
    assert _scheduled(webinar.pk)[2:] == [
        (new_start - timedelta(hours=24), "24h", 1),
        (new_start - timedelta(hours=1), "1h", 1),
    ]


def test_reminder_round_of_an_older_schedule_sends_nothing_and_the_new_one_sends_once(
    db, django_capture_on_commit_callbacks
):
    webinar = WebinarPageFactory(capacity=1)
    organizer = UserFactory(is_superuser=True)
    confirmed = RegistrationFactory(webinar=webinar)
    RegistrationFactory(webinar=webinar, status=Registration.Status.WAITLISTED)
    Registration.objects.filter(pk=confirmed.pk).update(reminder_24h_sent_at=timezone.now())
    new_start = webinar.start + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(
            webinar, start=new_start, end=new_start + timedelta(hours=1), user=organizer
        )
    mail.outbox.clear()

    assert tasks.send_reminders.call(webinar.pk, "24h", 0) == 0
    assert mail.outbox == []
    # The reschedule cleared the flag: the 24 h reminder of the new time goes out, once.
    assert tasks.send_reminders.call(webinar.pk, "24h", 1) == 1
    assert tasks.send_reminders.call(webinar.pk, "24h", 1) == 0
    assert [message.to for message in mail.outbox] == [[confirmed.user.email]]
    assert "Tomorrow" in mail.outbox[0].subject


@override_settings(TASKS=DB_TASKS)
def test_reminders_already_due_are_not_scheduled(db, django_capture_on_commit_callbacks):
    start = timezone.now() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        webinar = WebinarPageFactory(start=start, end=start + timedelta(hours=1))
    assert [kind for _, kind, _ in _scheduled(webinar.pk)] == ["1h"]


@override_settings(TASKS=DB_TASKS)
def test_registering_queues_only_the_confirmation(db, django_capture_on_commit_callbacks):
    webinar = WebinarPageFactory()
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.register(webinar, UserFactory())
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "webinars.tasks.send_registration_email"
    ]


@override_settings(TASKS=DB_TASKS)
def test_cancelling_voids_the_rounds_and_reinstating_queues_new_ones(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        webinar = WebinarPageFactory()
    for status in (WebinarPage.Status.CANCELLED, WebinarPage.Status.SCHEDULED):
        page = webinar.get_latest_revision_as_object()
        page.status = status
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
    webinar.refresh_from_db()

    assert webinar.sequence == 1
    assert [(kind, sequence) for _, kind, sequence in _scheduled(webinar.pk)] == [
        ("24h", 0),
        ("24h", 1),
        ("1h", 0),
        ("1h", 1),
    ]
    assert tasks.send_reminders.call(webinar.pk, "24h", 0) == 0


def test_reminder_claimed_by_a_run_that_died_is_sent_when_that_task_runs_again(registration):
    from learning.models import TaskDelivery

    webinar = registration.webinar
    # The first run claimed the reminder (its delivery's start time) and its worker died.
    died = TaskDelivery.objects.create(
        key="task-that-died", task_path="webinars.tasks.send_reminder"
    )
    Registration.objects.filter(pk=registration.pk).update(reminder_24h_sent_at=died.started_at)

    tasks.send_reminder.enqueue(registration.pk, "24h", webinar.sequence, delivery_key="other")
    assert mail.outbox == []
    tasks.send_reminder.enqueue(
        registration.pk, "24h", webinar.sequence, delivery_key="task-that-died"
    )
    tasks.send_reminder.enqueue(
        registration.pk, "24h", webinar.sequence, delivery_key="task-that-died"
    )
    assert [message.to for message in mail.outbox] == [[registration.user.email]]
