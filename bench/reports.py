"""Benchmark: the webinar report page and its exports at the scale of years of seasons.

    .venv/bin/python bench/reports.py [--sessions 20] [--small 10000] [--large 100000]
        [--repeat 5] [--database-url postgres://postgres@127.0.0.1:5432/bench_reports]

Builds (outside the timing), in a throw-away database (a temporary SQLite file, or the
PostgreSQL database given, which is dropped and recreated), one series of ``--sessions``
sessions with a choice question, then registrations spread over them (countries, answers,
statuses and attendance varied) in two steps: ``--small`` registrations, then up to
``--large``. At each size it times in-process requests (Django's test client, no network)
as the series' organizer: the report page (median of ``--repeat``, SQL queries), and the
download of every registration ("the people behind these figures") as CSV and as XLSX,
each read to its last byte, with the peak of Python memory (``tracemalloc``) during the
request and the download. Flat memory: the exports' peak does not grow with the rows.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTRIES = ["KE", "SN", "BR", "MX", "IN", "CN", "FR", "PL", "EG", "FJ", "CA", "ZA", "PE", "VN"]
SECTORS = [
    "Government",
    "Academia",
    "NGO",
    "Private sector",
    "Indigenous peoples and local communities",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
    return parser.parse_args()


def setup_django(args, workdir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["VAR_DIR"] = workdir
    os.environ["SQLITE_PATH"] = str(Path(workdir) / "bench.sqlite3")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        _recreate_postgres_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _recreate_postgres_database(url):
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def build_series(args):
    from django.contrib.auth.models import Group

    from learning.factories import UserFactory
    from learning.migration_utils import GROUP_ORGANIZERS
    from webinars.factories import (
        RegistrationQuestionFactory,
        WebinarPageFactory,
        WebinarSeriesPageFactory,
    )

    organizer = UserFactory(email="organizer@example.org", username="organizer@example.org")
    organizer.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    series = WebinarSeriesPageFactory(organizers=[organizer])
    first = datetime(2026, 1, 15, 13, tzinfo=UTC)
    sessions = []
    for number in range(args.sessions):
        start = first + timedelta(days=14 * number)
        webinar = WebinarPageFactory(
            parent=series, start=start, end=start + timedelta(minutes=90), capacity=None
        )
        question = RegistrationQuestionFactory(
            page=webinar, label="Sector", kind="single", choices="\n".join(SECTORS)
        )
        sessions.append((webinar, question))
    return organizer, sessions


def add_registrations(sessions, first, last):
    """Registrations ``first`` to ``last - 1``: person ``n`` registers for session
    ``n % len(sessions)``; people come back across sessions (one person per 3 rows)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from learning.models import Profile
    from webinars.models import Registration

    User = get_user_model()
    unusable = make_password(None)
    batch = 5000
    for start in range(first, last, batch):
        numbers = range(start, min(start + batch, last))
        people = {n // 3 for n in numbers}
        existing = set(
            User.objects.filter(username__in=[f"p{p}@example.org" for p in people]).values_list(
                "username", flat=True
            )
        )
        new = [
            User(username=f"p{p}@example.org", email=f"p{p}@example.org", password=unusable)
            for p in sorted(people)
            if f"p{p}@example.org" not in existing
        ]
        User.objects.bulk_create(new)
        ids = dict(
            User.objects.filter(username__in=[f"p{p}@example.org" for p in people]).values_list(
                "username", "pk"
            )
        )
        Profile.objects.bulk_create(
            Profile(
                user_id=ids[user.username],
                full_name=f"Participant {user.username.split('@')[0]}",
                country=COUNTRIES[int(user.username[1:].split("@")[0]) % len(COUNTRIES)],
            )
            for user in new
        )
        registrations = []
        for n in numbers:
            webinar, question = sessions[n % len(sessions)]
            status = ["confirmed"] * 8 + ["cancelled", "waitlisted"]
            registrations.append(
                Registration(
                    webinar=webinar,
                    user_id=ids[f"p{n // 3}@example.org"],
                    status=status[n % 10],
                    country=COUNTRIES[(n // 3) % len(COUNTRIES)],
                    answers={question.key: SECTORS[n % len(SECTORS)]},
                    created_at=webinar.start - timedelta(days=1 + n % 40, hours=n % 24),
                    attended=(n % 10 < 8 and n % 3 != 0) or None,
                    attended_minutes=(30 + n % 60) if n % 3 != 0 else None,
                )
            )
        Registration.objects.bulk_create(registrations, ignore_conflicts=True)


def measure_page(client, url, repeat):
    from django.db import connection

    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
    ):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), len(queries)


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return sum(len(chunk) for chunk in response.streaming_content)


def measure_export(client, url):
    """Time without tracing (tracemalloc slows allocation-heavy code several times), then
    the peak of Python memory in a second, traced run."""
    start = time.perf_counter()
    size = _download(client, url)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    _download(client, url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, size / 2**20


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as workdir:
        setup_django(args, workdir)
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from webinars.models import Registration

        setup_test_environment()
        organizer, sessions = build_series(args)
        client = Client()
        client.force_login(organizer)
        index = reverse("webinar_reports:index")
        print(
            f"{'registrations':>13} | {'what':<26} | {'time':>9} | {'peak Python memory':>18} "
            "| size / queries"
        )
        built = 0
        for size in (args.small, args.large):
            add_registrations(sessions, built, size)
            built = size
            count = Registration.objects.count()
            median, queries = measure_page(client, index, args.repeat)
            print(
                f"{count:>13} | {'report page (median)':<26} | {median:>6.0f} ms | {'':>18} "
                f"| {queries} queries"
            )
            for export_format in ("csv", "xlsx"):
                seconds, peak, megabytes = measure_export(
                    client, f"{index}?table=people&export={export_format}"
                )
                print(
                    f"{count:>13} | {'people export ' + export_format.upper():<26} | "
                    f"{seconds:>7.1f} s | {peak:>15.1f} MiB | {megabytes:.1f} MiB file"
                )


if __name__ == "__main__":
    main()
