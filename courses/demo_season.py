"""A season of learners for the demo's course reports (``load_demo_data``): learners from
every region enrolling over six months, dropping off lesson by lesson, answering the H5P
questions (some questions harder than others), completing and receiving certificates
(one revoked). Deterministic (a seeded random generator) and idempotent."""

import random
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import CourseCompletion, CoursePage, Enrolment, LessonCompletion
from learning.factories import CertificateFactory, UserFactory
from learning.h5p.access import page_activities
from learning.h5p.xapi import VERB_ANSWERED
from learning.migration_utils import GROUP_LEARNERS
from learning.models import Certificate, H5PContent, XAPIStatement

# Learners of the season: (email name, full name, country), from the four regions and
# beyond them ("Other" in the reports).
LEARNERS = [
    ("learner-ke", "Achieng Otieno", "KE"),
    ("learner-gh", "Kwame Mensah", "GH"),
    ("learner-sn", "Fatou Sow", "SN"),
    ("learner-eg", "Mona Farouk", "EG"),
    ("learner-tz", "Neema Mushi", "TZ"),
    ("learner-bf", "Issa Ouédraogo", "BF"),
    ("learner-ng", "Chiamaka Obi", "NG"),
    ("learner-in", "Priya Nair", "IN"),
    ("learner-bd", "Rahim Uddin", "BD"),
    ("learner-th", "Somchai Boonmee", "TH"),
    ("learner-lk", "Nadeesha Perera", "LK"),
    ("learner-ws", "Sina Tuilagi", "WS"),
    ("learner-kh", "Sokha Chan", "KH"),
    ("learner-cn", "Li Na", "CN"),
    ("learner-br", "Ana Costa", "BR"),
    ("learner-cl", "Camila Soto", "CL"),
    ("learner-bo", "Mateo Mamani", "BO"),
    ("learner-cu", "Yanet Pérez", "CU"),
    ("learner-ec", "Diego Andrade", "EC"),
    ("learner-ht", "Jean Baptiste", "HT"),
    ("learner-ua", "Taras Bondarenko", "UA"),
    ("learner-md", "Elena Rusu", "MD"),
    ("learner-rs", "Milica Jovanović", "RS"),
    ("learner-kz", "Aigerim Nurlanova", "KZ"),
    ("learner-by", "Alena Kavalenka", "BY"),
    ("learner-al", "Elira Hoxha", "AL"),
    ("learner-es", "Lucía García", "ES"),
    ("learner-ca", "Sophie Tremblay", "CA"),
    ("learner-jp", "Yuki Tanaka", "JP"),
    ("learner-nz", "Aroha Ngata", "NZ"),
]

# Share of the learners still there at each lesson: most start, fewer finish.
STAYING = 0.82
# Share of correct answers per H5P question, in syllabus order: some are harder.
CORRECT = (0.45, 0.8, 0.62, 0.9)


def _questions():
    """``{H5P content title: its question}``, from the demo courses' specifications."""
    from courses.demo import KM_COURSE, SYNERGIES_COURSE

    return {
        value["content"][0]: value["content"][1]
        for spec in (KM_COURSE, SYNERGIES_COURSE)
        for _title, _intro, lessons in spec["modules"]
        for _lesson, _rule, blocks in lessons
        for block_type, value in blocks
        if block_type == "h5p"
    }


def _learners():
    users = []
    user_model = get_user_model()
    for name, full_name, country in LEARNERS:
        email = f"{name}@example.org"
        user = user_model.objects.filter(email=email).first() or UserFactory(
            username=email,
            email=email,
            first_name=full_name.split()[0],
            last_name=full_name.split()[-1],
            profile__full_name=full_name,
            profile__country=country,
            groups=[GROUP_LEARNERS],
        )
        users.append(user)
    return users


def _lessons(course):
    from courses import syllabus

    return [state.lesson for state in syllabus.course_state(course, None).lessons]


def _answer(user, lesson, content, index, correct, when, question):
    statement = XAPIStatement.objects.create(
        statement_id=uuid.uuid4(),
        user=user,
        content=content,
        page=lesson,
        verb=VERB_ANSWERED,
        object_id=f"https://example.org/h5p/{content.pk}?subContentId=question-{index}",
        sub_content_id=f"question-{index}",
        question=question,
        is_child=True,
        success=correct,
        raw={},
        body_sha256="0" * 64,
    )
    XAPIStatement.objects.filter(pk=statement.pk).update(stored_at=when)


def _season(course, learners, rng, now, offset):
    lessons = _lessons(course)
    if not lessons or Enrolment.objects.filter(course=course, user__in=learners).exists():
        return 0
    activities = {
        lesson.pk: [H5PContent.objects.get(pk=a.content_id) for a in page_activities(lesson)]
        for lesson in lessons
    }
    questions = _questions()
    completed = 0
    for number, user in enumerate(learners[offset:] + learners[:offset]):
        if rng.random() < 0.25:
            continue  # not everyone takes every course
        enrolled = now - timedelta(days=rng.randint(3, 180), hours=rng.randint(0, 23))
        status = Enrolment.Status.WITHDRAWN if number % 11 == 5 else Enrolment.Status.ACTIVE
        enrolment = Enrolment.objects.create(
            course=course, user=user, status=status, enrolled_at=enrolled
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(requested_at=enrolled)
        when = enrolled
        done = 0
        for lesson in lessons:
            if rng.random() > STAYING or (status == Enrolment.Status.WITHDRAWN and done >= 1):
                break
            when = min(when + timedelta(days=rng.randint(1, 9), hours=rng.randint(1, 8)), now)
            for index, content in enumerate(activities[lesson.pk]):
                share = CORRECT[(lessons.index(lesson) + offset) % len(CORRECT)]
                for _attempt in range(rng.choice((1, 1, 2))):
                    question = questions.get(content.title, content.title)
                    _answer(user, lesson, content, index, rng.random() < share, when, question)
            LessonCompletion.objects.create(
                course=course, lesson=lesson, user=user, completed_at=when
            )
            done += 1
        if done == len(lessons) and status == Enrolment.Status.ACTIVE:
            certificate = CertificateFactory(
                user=user, source=course, title=course.title, achieved_at=when
            )
            Certificate.objects.filter(pk=certificate.pk).update(issued_at=when)
            if completed == 2:  # one certificate was issued in error and revoked
                Certificate.objects.filter(pk=certificate.pk).update(
                    revoked_at=min(when + timedelta(days=5), now)
                )
            CourseCompletion.objects.create(
                course=course,
                user=user,
                started_at=enrolled,
                completed_at=when,
                certificate=certificate,
            )
            completed += 1
    return completed


def build_demo_course_season(context):
    learners = _learners()
    rng = random.Random(16)
    now = timezone.now()
    for offset, course in enumerate(CoursePage.objects.live().order_by("title", "pk")):
        completed = _season(course, learners, rng, now, offset)
        if completed:
            context.log(
                f"Course reports: {course.title}: learners from every region over six "
                f"months, {completed} completions (Reports › Courses)."
            )
