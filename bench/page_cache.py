"""Benchmark: pages served from the anonymous page cache, a cache miss, and the same pages
signed in, each beside a trivial view through the same middleware, over HTTP.

    .venv/bin/python bench/page_cache.py [--seconds 5] [--connections 8]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_pages]
        [--workers 2] [--threads 4] [--port 8792] [--json PATH]

A real server (gunicorn, production settings: PostgreSQL, Redis cache and sessions)
serves the site on loopback; ``/bench/trivial/`` answers ``HttpResponse("ok")`` behind
every middleware of the site (``page_cache_urls``). Outside the timing the script builds
a home page, a course of 3 modules x 10 lessons and a webinar with 30 registrations, and
logs one learner in (enrolled, registered). Then, for ``--seconds`` each, ``--connections``
keep-alive connections (two client processes) request one URL as fast as they are
answered: the trivial view, the home, course and webinar pages (served from the cache),
the course page with a new query string each time (a miss: rendered and stored), and the
same pages and trivial view with the learner's session cookie. Prints requests/s, the
ratio to the trivial view of the same kind (anonymous or signed in) and the goal. Signed
in, the learner's second look at a page comes from the copy kept for them
(``learning.personal_page_cache``); "first view" asks for a new query string each time.
Goals (issue #15): from the cache >= 1/2 of the trivial view; a miss >= 1/10; signed in
>= 1/5 of the signed-in trivial view.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gunicorn_server import create_database, environment, start_server, stop_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare():
    """Migrate, build the pages and a signed-in learner; return the paths and cookie."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.cache import cache
    from django.core.management import call_command

    from courses.factories import EnrolmentFactory, build_course
    from learning.demo import build_home_page
    from learning.factories import UserFactory
    from webinars import services
    from webinars.factories import WebinarPageFactory

    call_command("migrate", verbosity=0)
    home = build_home_page()
    course, _lessons = build_course(modules=3, lessons_per_module=10)
    webinar = WebinarPageFactory(capacity=500)
    for index in range(30):
        services.register(webinar, UserFactory(email=f"registrant-{index}@example.org"))
    learner = UserFactory(email="learner@example.org", password=None)
    EnrolmentFactory(course=course, user=learner)
    services.register(webinar, learner)
    session = SessionStore()
    session[SESSION_KEY] = str(learner.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = learner.get_session_auth_hash()
    session.create()
    cache.clear()
    return {
        "home": home.url,
        "course": course.url,
        "webinar": webinar.url,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
    }


def _client(port, path, seconds, cookie, unique, threads, queue):
    counts = []

    def run(offset):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if cookie:
            headers["Cookie"] = cookie
        done, statuses, hits, number = 0, {}, 0, 0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            number += 1
            url = f"{path}?n={os.getpid()}-{offset}-{number}" if unique else path
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses[response.status] = statuses.get(response.status, 0) + 1
            hits += response.getheader("X-Page-Cache") == "hit"
            done += 1
        connection.close()
        counts.append((done, statuses, hits))

    workers = [threading.Thread(target=run, args=(offset,)) for offset in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put(counts)


def load(port, path, *, seconds, connections, cookie="", unique=False):
    """Requests/s for ``path`` over ``connections`` keep-alive connections, with the share
    of answers that were 200 and that came from the page cache."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [
        context.Process(
            target=_client,
            args=(port, path, seconds, cookie, unique, connections // 2, queue),
        )
        for _ in range(2)
    ]
    began = time.perf_counter()
    for process in processes:
        process.start()
    results = [item for _ in processes for item in queue.get()]
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - began
    total = sum(done for done, _statuses, _hits in results)
    ok = sum(statuses.get(200, 0) for _done, statuses, _hits in results)
    hits = sum(hits for _done, _statuses, hits in results)
    return {
        "rps": total / elapsed,
        "requests": total,
        "ok_share": ok / total if total else 0,
        "hit_share": hits / total if total else 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_pages")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    env = environment(
        settings="page_cache_settings",
        database_url=args.database_url,
        redis_url=args.redis_url,
        port=args.port,
        var_dir=Path(tempfile.gettempdir()) / "bench-pages-var",
    )
    os.environ.update(env)
    create_database(args.database_url)
    paths = prepare()
    server = start_server(
        port=args.port,
        workers=args.workers,
        threads=args.threads,
        env=env,
        probe_path="/bench/trivial/",
    )
    anonymous, signed_in = "", paths["cookie"]
    runs = [
        ("trivial view", "/bench/trivial/", anonymous, False, None, None),
        ("home, from the cache", paths["home"], anonymous, False, "trivial view", 1 / 2),
        ("course, from the cache", paths["course"], anonymous, False, "trivial view", 1 / 2),
        ("webinar, from the cache", paths["webinar"], anonymous, False, "trivial view", 1 / 2),
        ("course, cache miss", paths["course"], anonymous, True, "trivial view", 1 / 10),
        ("trivial view, signed in", "/bench/trivial/", signed_in, False, None, None),
        ("home, signed in", paths["home"], signed_in, False, "trivial view, signed in", 1 / 5),
        ("course, signed in", paths["course"], signed_in, False, "trivial view, signed in", 1 / 5),
        (
            "webinar, signed in",
            paths["webinar"],
            signed_in,
            False,
            "trivial view, signed in",
            1 / 5,
        ),
        # A page the viewer has not seen yet (a new query string each time): rendered
        # for them and kept. No goal of its own; shown so the hits are not read alone.
        (
            "course, signed in, first view",
            paths["course"],
            signed_in,
            True,
            "trivial view, signed in",
            None,
        ),
    ]
    figures = {}
    try:
        for label, path, cookie, unique, _baseline, _goal in runs:
            load(args.port, path, seconds=1, connections=args.connections, cookie=cookie)
            figures[label] = load(
                args.port,
                path,
                seconds=args.seconds,
                connections=args.connections,
                cookie=cookie,
                unique=unique,
            )
    finally:
        stop_server(server)

    out = sys.stdout.write
    out(
        f"gunicorn {args.workers} workers x {args.threads} threads, production settings, "
        f"PostgreSQL + Redis; {args.connections} keep-alive connections, "
        f"{args.seconds:g} s per line\n"
    )
    out(f"{'what':28} {'req/s':>8} {'baseline':>9} {'ratio':>7} {'goal':>6} {'hits':>6}\n")
    ok = True
    rows = []
    for label, _path, _cookie, _unique, baseline, goal in runs:
        figure = figures[label]
        ok = ok and figure["ok_share"] == 1
        base = figures[baseline]["rps"] if baseline else None
        ratio = figure["rps"] / base if base else None
        met = ratio is None or goal is None or ratio >= goal
        rows.append(
            {
                "what": label,
                "rps": figure["rps"],
                "baseline": baseline,
                "baseline_rps": base,
                "ratio": ratio,
                "goal": goal,
                "met": met,
                "hit_share": figure["hit_share"],
            }
        )
        out(
            f"{label:28} {figure['rps']:8.0f} "
            + (f"{base:9.0f} {ratio:7.2f}" if base else f"{'':9} {'':>7}")
            + (f" {goal:6.2f}" if goal else f" {'':>6}")
            + f" {figure['hit_share']:6.0%}"
            + ("" if met else "  (goal not met)")
            + "\n"
        )
    out("result: " + ("OK" if ok else "FAILED (some answers were not 200)") + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
