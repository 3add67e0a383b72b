"""Start and stop the real gunicorn server the HTTP benchmarks measure (on loopback)."""

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def start_server(*, port, workers, threads, env, probe_path, backlog=2048):
    """Start gunicorn (gthread workers) and return once ``probe_path`` answers."""
    command = [
        GUNICORN,
        "config.wsgi",
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
