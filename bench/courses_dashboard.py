"""Benchmark: "My learning" and course pages for a learner with many enrolments, and
certificate PDF rendering for names in Latin, Arabic and Chinese script.

    .venv/bin/python bench/courses_dashboard.py [--enrolments 50] [--lessons 10] [--runs 20]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_courses]

In-process (Django test client, test settings, a throw-away test database): builds the
courses (outside the timing), then prints the median and 95th-percentile latency and the
query count of each page, and the time to render each certificate PDF.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(function, runs):
    durations = []
    for _run in range(runs):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    durations.sort()
    return statistics.median(durations), durations[max(0, int(len(durations) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrolments", type=int, default=50)
    parser.add_argument("--lessons", type=int, default=10, help="lessons per course")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("VAR_DIR", str(ROOT / "var" / "bench-courses"))

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import (
        CaptureQueriesContext,
        setup_databases,
        setup_test_environment,
        teardown_databases,
    )

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        run(args, connection, CaptureQueriesContext)
    finally:
        teardown_databases(databases, verbosity=0)


def run(args, connection, CaptureQueriesContext):
    from django.test import Client
    from django.urls import reverse

    from courses import services
    from courses.factories import CourseIndexPageFactory, EnrolmentFactory, build_course
    from learning.certificates.pdf import render_certificate
    from learning.factories import CertificateFactory, UserFactory

    learner = UserFactory()
    index = CourseIndexPageFactory()
    per_module = max(1, args.lessons // 2)
    start = time.perf_counter()
    courses = []
    for _n in range(args.enrolments):
        course, lessons = build_course(parent=index, modules=2, lessons_per_module=per_module)
        EnrolmentFactory(course=course, user=learner)
        for lesson in lessons[: len(lessons) // 2]:
            services.complete_lesson(lesson, learner)
        courses.append((course, lessons))
    print(
        f"setup: {args.enrolments} enrolments x {2 * per_module} lessons "
        f"in {time.perf_counter() - start:.1f}s ({connection.vendor})"
    )
    client = Client()
    client.force_login(learner)
    course, lessons = courses[0]
    pages = {
        "dashboard": reverse("learning:dashboard"),
        "catalogue": index.url,
        "course": course.url,
        "lesson": lessons[-1].url,
    }
    for name, url in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        query_count = len(queries.captured_queries)
        median, p95 = timed(lambda url=url: client.get(url), args.runs)
        print(
            f"{name:10} HTTP {status}  {query_count:3} queries  "
            f"median {median * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms"
        )
    for name in ("Amina Diallo", "ليلى حسن", "王芳"):
        certificate = CertificateFactory(
            user=UserFactory(profile__full_name=name), recipient_name=name
        )
        median, p95 = timed(lambda certificate=certificate: render_certificate(certificate), 5)
        size = len(render_certificate(certificate))
        print(
            f"PDF {name:14} median {median * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  {size} bytes"
        )


if __name__ == "__main__":
    main()
