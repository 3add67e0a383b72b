"""Enrolment under concurrency: simultaneous requests of one learner make one enrolment."""

import pytest

from courses import services
from courses.factories import build_course
from courses.models import Enrolment
from learning.factories import UserFactory
from tests.concurrency import run_concurrently

# serialized_rollback: Wagtail's root page and site come from migrations, which a
# transactional test's flush would otherwise remove for the next test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_concurrent_enrolments_of_one_learner_create_one_row():
    course, _lessons = build_course(modules=1, lessons_per_module=1)
    learner = UserFactory()

    results, errors = run_concurrently(lambda _n: services.enrol(course, learner).pk, range(4))

    assert errors == []
    assert len(set(results)) == 1
    assert Enrolment.objects.filter(course=course, user=learner).count() == 1
