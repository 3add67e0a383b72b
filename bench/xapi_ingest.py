"""Benchmark: xAPI statements per second through POST /learning/xapi/statements/.

    .venv/bin/python bench/xapi_ingest.py [--database sqlite|postgres|both]
        [--statements 3000] [--batch 25] [--clients 4] [--port 8791]
        [--ab ROUNDS [--plain upsert]]

A real server process (gunicorn, --workers worker processes (2, one per core, as the
other HTTP benchmarks and their trivial-view baseline) with --threads threads, production
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

``--ab ROUNDS`` measures a speed-up the endpoint keeps against its plain version (``PLAIN``
below, swapped into the server process, never into the site): in each round the server
is started once with the code as it is and once per ``--plain`` variant, in an order that
rotates between rounds; prints every round, the medians and their ratio.
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gunicorn_server import create_database, environment, start_server, stop_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
VAR_DIR = Path(tempfile.gettempdir()) / "bench-xapi-var"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_xapi"


# The plain versions of the statement endpoint's speed-ups (README: "Speed-ups that remain,
# and why"), for ``--ab``: each is swapped into the server's process by ``served_app``.


def _plain_upsert():
    """The progress row locked with ``SELECT ... FOR UPDATE`` (created when missing), the
    new attempts added in Python and saved, instead of one raw-SQL upsert."""
    from learning.h5p.services import tracking
    from learning.models import ActivityProgress

    def upsert_progress(*, user, info, attempts, success, best_score, last_score, version, now):
        progress, created = ActivityProgress.objects.select_for_update().get_or_create(
            user=user,
            content=info.content,
            page=info.page,
            defaults={
                "completed": True,
                "success": success,
                "best_score": best_score,
                "last_score": last_score,
                "attempts": attempts,
                "completed_at": now,
                "last_version": version,
            },
        )
        if not created:
            progress.completed = True
            progress.attempts += attempts
            progress.completed_at = progress.completed_at or now
            progress.last_score = last_score
            progress.last_version = version
            if best_score is not None and (
                progress.best_score is None or best_score > progress.best_score
            ):
                progress.best_score = best_score
            if success is not None and (success or progress.success is None):
                progress.success = success
            progress.save()
        return progress

    tracking._upsert_progress = upsert_progress


PLAIN = {"upsert": _plain_upsert}


def served_app():
    """What gunicorn serves (``xapi_ingest:served_app()``): the site, with the plain version
    named by ``XAPI_BENCH_PLAIN`` swapped in (none when it is empty)."""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    name = os.environ.get("XAPI_BENCH_PLAIN", "")
    if name:
        PLAIN[name]()
    return application


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


def run(database, args, variants=("",), rounds=1):
    """Set up once, then for each round and each variant (a name of ``PLAIN``, "" for the
    code as it is) start the server, post the single then the batched statements and stop
    it. Returns [(round, variant, {mode: (count, seconds, failures)})], the statements
    stored and the number sent."""
    database_url = (
        f"sqlite:///{VAR_DIR / 'bench-xapi.sqlite3'}" if database == "sqlite" else args.postgres_url
    )
    shutil.rmtree(VAR_DIR, ignore_errors=True)
    VAR_DIR.mkdir(parents=True)
    env = environment(
        settings="xapi_settings",
        database_url=database_url,
        redis_url=args.redis_url,
        port=args.port,
        var_dir=VAR_DIR,
        LEARNING_H5P_ORIGIN=f"http://localhost:{args.port}",
        MEDIA_ROOT=str(VAR_DIR / "media"),
    )
    os.environ.update(env)
    create_database(database_url)
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
    measured = []
    expected = 0
    for round_number in range(rounds):
        # Each round starts with another variant, so none always runs first.
        shift = round_number % len(variants)
        for variant in [*variants[shift:], *variants[:shift]]:
            server = start_server(
                port=args.port,
                workers=args.workers,
                threads=args.threads,
                env={**env, "XAPI_BENCH_PLAIN": variant},
                probe_path="/learning/xapi/statements/",
                app="xapi_ingest:served_app()",
            )
            results = {}
            try:
                post_all(args, learners, lambda learner: single_bodies(learner, 20))  # warm-up
                elapsed, failures = post_all(
                    args, learners, lambda learner: single_bodies(learner, per_client)
                )
                results["single"] = (per_client * args.clients, elapsed, failures)
                elapsed, failures = post_all(
                    args,
                    learners,
                    lambda learner: batch_bodies(learner, per_client * 3, args.batch),
                )
                batched = (per_client * 3 // args.batch) * args.batch * args.clients
                results["batched"] = (batched, elapsed, failures)
            finally:
                stop_server(server)
            expected += 20 * args.clients + sum(count for count, _e, _f in results.values())
            measured.append((round_number, variant, results))
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
    return measured, stored, expected


def report_ab(out, measured, variants, args):
    """Median statements/s per variant and mode over the rounds, and the ratio of the code
    as it is to each plain version (above 1: the speed-up pays)."""
    rates = {}
    for _round, variant, results in measured:
        for mode, (count, elapsed, _failures) in results.items():
            rates.setdefault((variant, mode), []).append(count / elapsed)
    out(f"A/B, {args.ab} interleaved rounds; statements/s per round, median, ratio\n")
    for mode in ("single", "batched"):
        current = statistics.median(rates["", mode])
        for variant in variants:
            values = rates[variant, mode]
            median = statistics.median(values)
            name = f"plain {variant}" if variant else "as it is"
            ratio = "" if not variant else f"  as it is / this: {current / median:.2f}"
            out(
                f"{mode:8} {name:18} "
                + " ".join(f"{value:5.0f}" for value in values)
                + f"  median {median:5.0f}{ratio}\n"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--statements", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument(
        "--ab",
        type=int,
        metavar="ROUNDS",
        help="A/B: in each of ROUNDS rounds, measure the code as it is, then with each "
        "plain version of --plain in its place (interleaved, so the machine's load falls "
        "on all alike)",
    )
    parser.add_argument("--plain", nargs="+", choices=sorted(PLAIN), default=sorted(PLAIN))
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    variants = ["", *args.plain] if args.ab else [""]
    out = sys.stdout.write
    ok = True
    out(
        f"xAPI ingestion, gunicorn {args.workers} worker(s) x {args.threads} threads, "
        f"{args.clients} clients "
        f"on loopback\n"
    )
    for database in databases:
        measured, stored, expected = run(database, args, variants, args.ab or 1)
        for _round, variant, results in measured:
            for mode, (count, elapsed, failures) in results.items():
                rate = count / elapsed
                label = f"{database:8} {mode:8}" + (f" plain {variant}" if variant else "")
                size = f" ({args.batch}/request)" if mode == "batched" else ""
                out(
                    f"{label} {count:6d} statements{size} in {elapsed:6.2f} s: "
                    f"{rate:7.0f} statements/s"
                    + (f", {len(failures)} failed requests, e.g. {failures[0]}" if failures else "")
                    + "\n"
                )
                ok = ok and not failures
        if args.ab:
            report_ab(out, measured, variants, args)
        out(f"{database:8} stored {stored} of {expected} statements sent, each once\n")
        ok = ok and stored == expected
    out("result: " + ("OK" if ok else "FAILED") + "\n")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
