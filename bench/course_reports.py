"""Benchmark: Reports › Courses and its learners export, against a baseline in the same run.

    .venv/bin/python bench/course_reports.py [--baseline 1000] [--enrolments 10000]
        [--statements 100000] [--export-rows 100000] [--repeat 5]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_course_reports]

Builds (outside the timing), in a throw-away database (a temporary SQLite file, or the
PostgreSQL database given, dropped and recreated), one course of five lessons with an H5P
activity of ten questions, then grows it in three steps: the baseline (``--baseline``
enrolments, ten answers each), the report size (``--enrolments`` enrolments and
``--statements`` xAPI statements; a third of the learners complete, countries varied),
and the export size (``--export-rows`` enrolments). It times, as the course's editor, with
in-process requests (Django's test client, no network): the report page filtered to the
course (median of ``--repeat``, SQL queries) at the baseline and at the report size, and
the learners export as CSV and XLSX (read to its last byte; peak Python memory traced in a
second run) at the baseline and at the export size. Each line ends with its ratio to the
baseline: the page's queries stay the same, the exports' peak memory stays flat.
"""

import argparse
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.reports import COUNTRIES, measure_export, measure_page, setup_django  # noqa: E402

BATCH = 5000
QUESTIONS = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--enrolments", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
    return parser.parse_args()


def build_course():
    from courses.factories import build_course as build
    from courses.factories import grant_page_permissions
    from learning.factories import UserFactory
    from learning.migration_utils import GROUP_COURSE_EDITORS
    from learning.models import H5PContent

    course, lessons = build(title="Knowledge management basics", modules=1, lessons_per_module=5)
    grant_page_permissions(course, GROUP_COURSE_EDITORS)
    editor = UserFactory(email="editor@example.org", username="editor@example.org")
    editor.groups.add(*editor.groups.model.objects.filter(name=GROUP_COURSE_EDITORS))
    quiz = H5PContent.objects.create(title="Quiz")
    return editor, course, lessons, quiz


def add_learners(course, lessons, quiz, first, last, statements_per_learner):
    """Learners ``first`` to ``last - 1``: enrolled over a year, each completes
    ``n % 6`` lessons (five: the course), answers ``statements_per_learner`` questions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from courses.models import CourseCompletion, Enrolment, LessonCompletion
    from learning.h5p.xapi import VERB_ANSWERED
    from learning.models import Profile, XAPIStatement

    User = get_user_model()
    unusable = make_password(None)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for batch_start in range(first, last, BATCH):
        numbers = range(batch_start, min(batch_start + BATCH, last))
        users = User.objects.bulk_create(
            User(username=f"l{n}@example.org", email=f"l{n}@example.org", password=unusable)
            for n in numbers
        )
        if users[0].pk is None:  # back ends that do not return ids
            users = list(User.objects.filter(username__in=[u.username for u in users]))
        Profile.objects.bulk_create(
            Profile(user=user, full_name=f"Learner {n}", country=COUNTRIES[n % len(COUNTRIES)])
            for n, user in zip(numbers, users, strict=True)
        )
        enrolments, lesson_rows, completions, statements = [], [], [], []
        for n, user in zip(numbers, users, strict=True):
            enrolled = start + timedelta(hours=n % 8760)
            enrolments.append(
                Enrolment(course=course, user=user, status="active", enrolled_at=enrolled)
            )
            done = n % 6
            for lesson in lessons[:done]:
                lesson_rows.append(
                    LessonCompletion(course=course, lesson=lesson, user=user, completed_at=enrolled)
                )
            if done == 5:
                completions.append(
                    CourseCompletion(
                        course=course,
                        user=user,
                        started_at=enrolled,
                        completed_at=enrolled + timedelta(days=1 + n % 30),
                    )
                )
            for q in range(statements_per_learner):
                statements.append(
                    XAPIStatement(
                        statement_id=uuid.uuid4(),
                        user=user,
                        content=quiz,
                        page=lessons[0],
                        verb=VERB_ANSWERED,
                        object_id=f"https://example.org/h5p/{quiz.pk}",
                        sub_content_id=f"q{q % QUESTIONS}",
                        question=f"Question {q % QUESTIONS}",
                        is_child=True,
                        success=(n + q) % (2 + q % QUESTIONS) == 0,
                        raw={},
                        body_sha256="0" * 64,
                    )
                )
        Enrolment.objects.bulk_create(enrolments)
        LessonCompletion.objects.bulk_create(lesson_rows)
        CourseCompletion.objects.bulk_create(completions)
        XAPIStatement.objects.bulk_create(statements, batch_size=2000)


def ratio(value, base):
    return f"x{value / base:.2f}" if base else "–"


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-course-reports-") as workdir:
        setup_django(args, workdir)
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from courses.models import Enrolment
        from learning.models import XAPIStatement

        setup_test_environment()
        editor, course, lessons, quiz = build_course()
        client = Client()
        client.force_login(editor)
        page = f"{reverse('course_reports:index')}?course={course.pk}"
        print(
            f"{'enrolments':>10} | {'statements':>10} | {'what':<22} | {'time':>9} | "
            f"{'peak Python memory':>18} | queries / file | ratio to baseline (time, memory)"
        )
        baseline = {}

        def report(what, value, unit, memory="", extra=""):
            key = what
            if key not in baseline:
                baseline[key] = (value, memory)
            base_value, base_memory = baseline[key]
            memory_ratio = ratio(memory, base_memory) if memory != "" else ""
            memory_text = f"{memory:>15.1f} MiB" if memory != "" else f"{'':>18}"
            print(
                f"{Enrolment.objects.count():>10} | {XAPIStatement.objects.count():>10} | "
                f"{what:<22} | {value:>7.{1 if unit == 's' else 0}f} {unit:<2}| {memory_text} | "
                f"{extra:<14} | {ratio(value, base_value)} {memory_ratio}"
            )

        def measure_exports():
            for export_format in ("csv", "xlsx"):
                seconds, peak, megabytes = measure_export(
                    client, f"{page}&table=people&export={export_format}"
                )
                report(
                    f"learners {export_format.upper()}", seconds, "s", peak, f"{megabytes:.1f} MiB"
                )

        per_learner = max(args.statements // max(args.enrolments, 1), 1)
        add_learners(course, lessons, quiz, 0, args.baseline, per_learner)
        median, queries = measure_page(client, page, args.repeat)
        report("report page (median)", median, "ms", extra=f"{queries} queries")
        measure_exports()

        add_learners(course, lessons, quiz, args.baseline, args.enrolments, per_learner)
        median, queries = measure_page(client, page, args.repeat)
        report("report page (median)", median, "ms", extra=f"{queries} queries")

        add_learners(course, lessons, quiz, args.enrolments, args.export_rows, 0)
        measure_exports()


if __name__ == "__main__":
    main()
