"""Enrolment under concurrency: simultaneous requests of one learner make one enrolment."""

import threading

import pytest
from django.db import connection

from courses import services
from courses.factories import build_course
from courses.models import Enrolment
from learning.factories import UserFactory

# serialized_rollback: Wagtail's root page and site come from migrations, which a
# transactional test's flush would otherwise remove for the next test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_concurrent_enrolments_of_one_learner_create_one_row():
    course, _lessons = build_course(modules=1, lessons_per_module=1)
    learner = UserFactory()
    barrier = threading.Barrier(4)
    results, errors = [], []

    def attempt():
        try:
            barrier.wait()
            results.append(services.enrol(course, learner).pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Enrolment.objects.filter(course=course, user=learner).count() == 1
