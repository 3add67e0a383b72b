"""Benchmark: N logged-in people register for one webinar at the same moment, over HTTP.

    .venv/bin/python bench/webinar_registrations.py [--requests 700] [--capacity 500]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_webinars]
        [--workers 2] [--threads 4] [--port 8790]

A real server process (gunicorn, production settings: PostgreSQL, Redis sessions, the
database task queue) serves the site on loopback. The script creates (outside the
timing) the database, a webinar with ``--capacity`` seats, and the users with their
sessions and CSRF cookies; then releases all ``--requests`` POSTs to the registration URL
at once from a thread pool (http.client) and prints throughput, latency percentiles and
the oversell check: confirmed == min(capacity, requests), everybody else waitlisted, no
HTTP errors. Target: >= 100 registrations/s on a 2-core machine.
"""

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gunicorn_server import create_database, environment, start_server, stop_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable


def prepare(args):
    """Migrate, then create the webinar and the users with logged-in sessions."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.management import call_command
    from django.utils.crypto import get_random_string

    from learning.factories import UserFactory
    from webinars.factories import WebinarPageFactory, WebinarSeriesPageFactory
    from webinars.models import Registration

    call_command("migrate", verbosity=0)
    run = get_random_string(6).lower()
    series = WebinarSeriesPageFactory(title=f"Bench series {run}", slug=f"bench-series-{run}")
    webinar = WebinarPageFactory(
        parent=series, title=f"Bench {run}", slug=f"bench-{run}", capacity=args.capacity
    )
    clients = []
    for index in range(args.requests):
        # An unusable password: they are logged in by session, and hashing 700 real
        # passwords would dominate the set-up.
        user = UserFactory(
            email=f"bench-{run}-{index}@example.org",
            username=f"bench-{run}-{index}",
            password=None,  # the factory makes it unusable, without hashing
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = get_random_string(32)
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={csrf}"
        )
        clients.append((cookie, csrf))
    assert not Registration.objects.filter(webinar=webinar).exists()
    return webinar, clients


def fire(args, webinar_pk, clients):
    path = f"/webinars/{webinar_pk}/register/"
    start_gate = threading.Event()
    results = []

    def post(client):
        cookie, csrf = client
        body = f"csrfmiddlewaretoken={csrf}"
        start_gate.wait()
        began = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
        try:
            connection.request(
                "POST",
                path,
                body=body,
                headers={
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Host": "127.0.0.1",
                },
            )
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError as error:
            status = f"error: {error}"
        finally:
            connection.close()
        results.append((status, time.perf_counter() - began))

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        futures = [pool.submit(post, client) for client in clients]
        time.sleep(1)  # every thread is now waiting at the gate
        began = time.perf_counter()
        start_gate.set()
        for future in futures:
            future.result()
        elapsed = time.perf_counter() - began
    return results, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=700)
    parser.add_argument("--capacity", type=int, default=500)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/bench_webinars"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8790)
    args = parser.parse_args()

    env = environment(
        settings="config.settings.production",
        database_url=args.database_url,
        redis_url=args.redis_url,
        port=args.port,
        var_dir=Path(tempfile.gettempdir()) / "bench-webinars-var",
    )
    os.environ.update(env)
    create_database(args.database_url, fresh=False)
    webinar, clients = prepare(args)

    from webinars.models import Registration

    server = start_server(
        port=args.port,
        workers=args.workers,
        threads=args.threads,
        env=env,
        probe_path=f"/webinars/{webinar.pk}/register/",
    )
    try:
        results, elapsed = fire(args, webinar.pk, clients)
    finally:
        stop_server(server)

    statuses = {}
    for status, _latency in results:
        statuses[status] = statuses.get(status, 0) + 1
    latencies = sorted(latency for _status, latency in results)
    confirmed = Registration.objects.filter(webinar=webinar, status="confirmed").count()
    waitlisted = Registration.objects.filter(webinar=webinar, status="waitlisted").count()
    expected_confirmed = min(args.capacity, args.requests)
    ok = (
        statuses.get(302, 0) == args.requests
        and confirmed == expected_confirmed
        and waitlisted == args.requests - expected_confirmed
    )

    def percentile(fraction):
        return latencies[min(len(latencies) - 1, int(fraction * len(latencies)))] * 1000

    out = sys.stdout.write
    out(
        f"{args.requests} concurrent registration POSTs, capacity {args.capacity}, "
        f"gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL\n"
    )
    out(f"HTTP statuses: {statuses}\n")
    out(f"wall time: {elapsed:.2f} s, throughput: {args.requests / elapsed:.0f} registrations/s\n")
    out(
        f"latency ms: median {statistics.median(latencies) * 1000:.0f}, "
        f"p95 {percentile(0.95):.0f}, max {latencies[-1] * 1000:.0f}\n"
    )
    out(
        f"confirmed {confirmed} (capacity {args.capacity}), waitlisted {waitlisted}: "
        f"{'no oversell' if confirmed <= args.capacity else 'OVERSOLD'}\n"
    )
    out("result: " + ("OK" if ok else "FAILED") + "\n")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
