"""Benchmark: xAPI statements per second through POST /learning/xapi/statements/.

    .venv/bin/python bench/xapi_ingest.py [--database sqlite|postgres|both]
        [--statements 3000] [--batch 25] [--clients 4] [--port 8791]

A real server process (gunicorn, ONE worker process with --threads threads, production
settings with the rate limit off, Redis cache, cached_db sessions) serves the site on
loopback. Outside the timing the script migrates a fresh database, imports the project's
quick-check H5P content, places it on one activity page per learner and logs the
learners in. Then ``--clients`` threads, each with a keep-alive connection and its own
learner, post statements shaped like H5P's: one per request ("single"), then lists of
``--batch`` ("batched": child ``answered`` statements closed by a top-level
``completed``, like a question set). Every statement goes through the full path: session,
CSRF, access check (page embeds the content), idempotency check, insert, progress update.
Prints statements/s per mode and checks that every statement was stored exactly once.
Targets on PostgreSQL: >= 300/s single, >= 1000/s batched.
"""

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gunicorn_server import start_server, stop_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
VAR_DIR = Path(tempfile.gettempdir()) / "bench-xapi-var"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_xapi"


def environment(database_url, args):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "xapi_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
            "DATABASE_URL": database_url,
            "REDIS_URL": args.redis_url,
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{args.port}",
            "EMAIL_HOST": "127.0.0.1",
            "DEFAULT_FROM_EMAIL": "bench@example.org",
            "LEARNING_H5P_ORIGIN": f"http://localhost:{args.port}",
            "SECURE_SSL_REDIRECT": "false",
            "VAR_DIR": str(VAR_DIR),
            "MEDIA_ROOT": str(VAR_DIR / "media"),
        }
    )
    return env


def fresh_database(database_url):
    if database_url.startswith("sqlite://"):
        path = Path(database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(clients):
    """Migrate; one learner, logged in, with an activity page each."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.management import call_command
    from django.utils.crypto import get_random_string
    from wagtail.models import Site

    from learning.factories import UserFactory
    from learning.h5p import samples
    from learning.h5p.xapi import activity_iri
    from learning.models import ActivityPage

    call_command("migrate", verbosity=0)
    content = samples.ensure_demo_content(
        "Benchmark quick check", samples.DEFAULT_QUESTION, samples.DEFAULT_ANSWERS, 0
    )
    root = Site.objects.get(is_default_site=True).root_page
    learners = []
    for index in range(clients):
        page = ActivityPage(
            title=f"Benchmark activity {index}",
            body=[{"type": "h5p", "value": {"content": content.pk, "required": True}}],
        )
        root.add_child(instance=page)
        page.save_revision().publish()
        user = UserFactory(email=f"bench-xapi-{index}@example.org")
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
        learners.append(
            {
                "cookie": cookie,
                "csrf": csrf,
                "iri": activity_iri(page.pk, content.pk),
                "version": content.current_version_id,
            }
        )
    return learners


def make_statement(learner, *, child=None, verb="answered", raw=1, max_score=1):
    object_id = learner["iri"] + (f"?subContentId={child}" if child else "")
    data = {
        "id": str(uuid.uuid4()),
        "actor": {"name": "Learner", "mbox": "mailto:1@learner.invalid"},
        "verb": {
            "id": f"http://adlnet.gov/expapi/verbs/{verb}",
            "display": {"en-US": verb},
        },
        "object": {
            "id": object_id,
            "objectType": "Activity",
            "definition": {
                "extensions": {"http://h5p.org/x-api/h5p-local-content-id": learner["version"]},
                "name": {"en-US": "Which of these is a Rio convention?"},
                "interactionType": "choice",
                "correctResponsesPattern": ["0"],
            },
        },
        "context": {
            "contextActivities": {
                "category": [{"id": "http://h5p.org/libraries/H5P.CBQuickCheck-1.0"}]
            }
        },
        "result": {
            "score": {"raw": raw, "max": max_score, "min": 0, "scaled": raw / max_score},
            "success": raw == max_score,
            "completion": True,
            "duration": "PT4.2S",
            "response": "0",
        },
    }
    if child:
        data["context"]["contextActivities"]["parent"] = [{"id": learner["iri"]}]
    return data


def single_bodies(learner, count):
    # A quiz answer (child) then a finished attempt (top level), alternately.
    for index in range(count):
        if index % 2:
            yield make_statement(learner)
        else:
            yield make_statement(learner, child=f"q{index % 10}")


def batch_bodies(learner, count, size):
    for _ in range(count // size):
        batch = [make_statement(learner, child=f"q{n}") for n in range(size - 1)]
        batch.append(make_statement(learner, verb="completed", raw=size - 2, max_score=size - 1))
        yield batch


def post_all(args, learners, bodies_for):
    """Each client thread posts its learner's bodies over one keep-alive connection."""
    gate = threading.Event()
    failures = []
    sent = []

    def client(learner):
        bodies = [json.dumps(body).encode() for body in bodies_for(learner)]
        connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
        headers = {
            "Host": "127.0.0.1",
            "Cookie": learner["cookie"],
            "X-CSRFToken": learner["csrf"],
            "Content-Type": "application/json",
        }
        gate.wait()
        for body in bodies:
            connection.request("POST", "/learning/xapi/statements/", body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            if response.status != 200:
                failures.append((response.status, payload[:200]))
        connection.close()
        sent.append(len(bodies))

    threads = [threading.Thread(target=client, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    began = time.perf_counter()
    gate.set()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, failures


def run(database, args):
    database_url = (
        f"sqlite:///{VAR_DIR / 'bench-xapi.sqlite3'}" if database == "sqlite" else args.postgres_url
    )
    shutil.rmtree(VAR_DIR, ignore_errors=True)
    VAR_DIR.mkdir(parents=True)
    env = environment(database_url, args)
    os.environ.update(env)
    fresh_database(database_url)
    code = (
        "import json, sys; sys.path[:0] = [sys.argv[1], sys.argv[2]];"
        "import xapi_ingest as bench; print(json.dumps(bench.prepare(int(sys.argv[3]))))"
    )
    prepared = subprocess.run(  # noqa: S603 - our own interpreter and module
        [PYTHON, "-c", code, str(ROOT / "bench"), str(ROOT), str(args.clients)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    learners = json.loads(prepared.stdout.strip().splitlines()[-1])
    per_client = args.statements // args.clients
    server = start_server(
        port=args.port,
        workers=1,
        threads=args.threads,
        env=env,
        probe_path="/learning/xapi/statements/",
    )
    results = {}
    try:
        post_all(args, learners, lambda learner: single_bodies(learner, 20))  # warm-up
        elapsed, failures = post_all(
            args, learners, lambda learner: single_bodies(learner, per_client)
        )
        results["single"] = (per_client * args.clients, elapsed, failures)
        elapsed, failures = post_all(
            args, learners, lambda learner: batch_bodies(learner, per_client * 3, args.batch)
        )
        batched = (per_client * 3 // args.batch) * args.batch * args.clients
        results["batched"] = (batched, elapsed, failures)
    finally:
        stop_server(server)
    expected = 20 * args.clients + sum(count for count, _e, _f in results.values())
    count_code = (
        "import sys; sys.path[:0] = [sys.argv[1]]; import django; django.setup();"
        "from learning.models import XAPIStatement; print(XAPIStatement.objects.count())"
    )
    stored = int(
        subprocess.run(  # noqa: S603
            [PYTHON, "-c", count_code, str(ROOT)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    return results, stored, expected


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--statements", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    out = sys.stdout.write
    ok = True
    out(
        f"xAPI ingestion, gunicorn 1 worker x {args.threads} threads, {args.clients} clients "
        f"on loopback\n"
    )
    for database in databases:
        results, stored, expected = run(database, args)
        for mode, (count, elapsed, failures) in results.items():
            rate = count / elapsed
            label = f"{database:8} {mode:8}"
            size = f" ({args.batch}/request)" if mode == "batched" else ""
            out(
                f"{label} {count:6d} statements{size} in {elapsed:6.2f} s: "
                f"{rate:7.0f} statements/s"
                + (f", {len(failures)} failed requests, e.g. {failures[0]}" if failures else "")
                + "\n"
            )
            ok = ok and not failures
        out(f"{database:8} stored {stored} of {expected} statements sent, each once\n")
        ok = ok and stored == expected
    out("result: " + ("OK" if ok else "FAILED") + "\n")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
