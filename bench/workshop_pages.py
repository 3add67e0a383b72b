"""Benchmark: the workshop pages and the material search at the scale of many years of
workshops.

    .venv/bin/python bench/workshop_pages.py [--workshops 50] [--materials 20] [--repeat 20]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_workshops]

Builds (outside the timing), in a throw-away database (a temporary SQLite file, or the
PostgreSQL database given, which is dropped and recreated), ``--workshops`` workshops per
region with ``--materials`` materials each (mixed kinds, languages and visibilities, a
1 MiB PDF file shared by all), then times in-process requests (Django's test client, no
network) as a logged-in participant: the workshops index, a region page, a workshop page,
a word search and a filtered search across all materials, and a 1 MiB download. Prints
the median and 95th percentile in milliseconds and the number of SQL queries of each.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=50, help="workshops per region")
    parser.add_argument("--materials", type=int, default=20, help="materials per workshop")
    parser.add_argument("--repeat", type=int, default=20)
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


def build(args):
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.utils import timezone

    from learning.factories import (
        MINIMAL_PDF,
        UserFactory,
        WorkshopIndexPageFactory,
        WorkshopPageFactory,
    )
    from learning.models import Region, WorkshopMaterial, WorkshopParticipant

    index = WorkshopIndexPageFactory()
    participant = UserFactory(email="bench@example.org", username="bench@example.org")
    shared = WorkshopMaterial(workshop_id=None)
    shared.file.save("bench.pdf", ContentFile(MINIMAL_PDF + b"%" * (1024 * 1024)), save=False)
    kinds = [kind for kind, _label in WorkshopMaterial.Kind.choices]
    languages = ["en", "fr", "es", "ar", "zh-hans", "ru"]
    visibilities = ["public", "public", "participants", "trainers"]
    words = ["stakeholder mapping", "lessons learned", "clearing-house", "synergies", "reporting"]
    first = None
    for region in Region.objects.all():
        for number in range(args.workshops):
            workshop = WorkshopPageFactory(
                parent=index, region=region, slug=f"{region.slug}-{number}"
            )
            first = first or workshop
            WorkshopParticipant.objects.create(
                workshop=workshop, user=participant, email=participant.email
            )
            WorkshopMaterial.objects.bulk_create(
                WorkshopMaterial(
                    workshop=workshop,
                    title=f"{words[i % len(words)].capitalize()} {number}-{i}",
                    description=f"Exercise on {words[(i + 2) % len(words)]} in {region.name}.",
                    kind=kinds[i % len(kinds)],
                    language=languages[i % len(languages)],
                    visibility=visibilities[i % len(visibilities)],
                    file=shared.file.name,
                    original_filename="bench.pdf",
                    content_type="application/pdf",
                    size=shared.file.size,
                    uploaded_at=timezone.now(),
                )
                for i in range(args.materials)
            )
    call_command("update_index", verbosity=0)
    return index, first, participant


def measure(client, url, repeat):
    from django.db import connection

    timings = []
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
    ):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, (url, response.status_code)
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95, len(queries), len(body)


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-workshops-") as workdir:
        setup_django(args, workdir)
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        started = time.perf_counter()
        index, workshop, participant = build(args)
        built = time.perf_counter() - started
        from learning.models import WorkshopMaterial

        material = WorkshopMaterial.objects.filter(workshop=workshop, visibility="public").first()
        client = Client()
        client.force_login(participant)
        total = WorkshopMaterial.objects.count()
        print(
            f"{args.workshops * 4} workshops, {total} materials "
            f"(built in {built:.1f} s); {args.repeat} timed requests each"
        )
        print(f"{'page':36} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for label, url in [
            ("workshops index", index.url),
            ("region page", f"{index.url}regions/africa/"),
            (f"workshop page ({args.materials} materials)", workshop.url),
            ("search ?q=stakeholder", f"{index.url}?q=stakeholder"),
            ("search ?q=mapping&language=fr", f"{index.url}?q=mapping&language=fr"),
            ("download (1 MiB PDF)", material.get_download_url()),
        ]:
            median, p95, queries, _size = measure(client, url, args.repeat)
            print(f"{label:36} {median:10.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
