"""The real gunicorn server the HTTP benchmarks measure (on loopback): its environment,
its database, starting and stopping it."""

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def environment(*, settings, database_url, redis_url, port, var_dir, **extra):
    """The environment of a benchmark's server and of its set-up processes: ``settings``
    (production settings, or a module of ``bench/`` extending them), loopback host names,
    a bench-only secret key, ``var_dir`` for the site's files; ``extra`` adds or overrides
    variables."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "EMAIL_HOST": "127.0.0.1",
            "DEFAULT_FROM_EMAIL": "bench@example.org",
            "LEARNING_H5P_ORIGIN": "http://localhost:1",
            "SECURE_SSL_REDIRECT": "false",
            "VAR_DIR": str(var_dir),
        }
    )
    env.update(extra)
    return env


def create_database(database_url, *, fresh=True):
    """Create the database of ``database_url`` (PostgreSQL, or a sqlite:/// file): empty
    when ``fresh`` (an existing one is dropped), else kept when it exists."""
    if database_url.startswith("sqlite://"):
        path = Path(database_url.removeprefix("sqlite:///"))
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        elif connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        connection.execute(f'CREATE DATABASE "{name}"')


def start_server(*, port, workers, threads, env, probe_path, backlog=2048, app="config.wsgi"):
    """Start gunicorn (gthread workers) serving ``app`` and return once ``probe_path``
    answers."""
    command = [
        GUNICORN,
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--backlog",
        str(backlog),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 180  # a loaded 2-core machine can take a minute
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            # A GET to a POST-only endpoint: 405 means up, and renders no template.
            connection.request("GET", probe_path, headers={"Host": "127.0.0.1"})
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit("The server did not start.")


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
