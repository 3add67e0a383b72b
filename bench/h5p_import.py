"""Benchmark: validate + import of the largest H5P sample vs `unzip` of the same file.

    .venv/bin/python bench/h5p_import.py [PATH.h5p] [--repeat N] [--storage disk|s3]

Each import is "cold": the libraries are installed every time (rows and files removed
between runs, outside the timing), so both sides write every file of the package. Runs
on a throw-away test database and storage folder (SQLite, or PostgreSQL with
DATABASE_URL). ``--storage s3`` puts the private storage in a bucket of moto's
S3-compatible server, configured as the tests configure it (tests/s3.py), but with the
server in its own process under gunicorn (the tests run it in a thread), as a real store
would be: its request handling then does not share this process's interpreter, and it keeps
connections alive;
``unzip`` still writes to the local disk. Runs alternate so both sides see the same
machine load. Prints wall-clock (median, best) and CPU time (user + system of this
process; the import's includes its SQLite work but not a PostgreSQL or moto server's),
the ratios import/unzip (the target is <= 2x on disk, <= 3x on S3; CPU time is the
figure that holds on a busy machine), and the peak Python memory of one more import
(tracemalloc).
"""

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
SAMPLES = ROOT.parent / "shared" / "h5p-samples"
UNZIP = shutil.which("unzip") or "/usr/bin/unzip"


def largest_sample():
    packages = [path for path in SAMPLES.glob("*.h5p") if "xss" not in path.name]
    if not packages:
        sys.exit(f"No samples in {SAMPLES}; pass the path of an .h5p file.")
    return max(packages, key=lambda path: path.stat().st_size)


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def unzip_once(path, parent):
    target = tempfile.mkdtemp(prefix="h5p-unzip-", dir=parent)
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([UNZIP, "-q", "-o", str(path), "-d", target], check=True)  # noqa: S603
    elapsed = time.perf_counter() - start, _children_cpu() - cpu
    shutil.rmtree(target)
    return elapsed


def timed(function, *args, **kwargs):
    start, cpu = time.perf_counter(), time.process_time()
    function(*args, **kwargs)
    return time.perf_counter() - start, time.process_time() - cpu


@contextmanager
def moto_s3_bucket():
    """``(endpoint, bucket, client)`` of an empty bucket on a moto server started in a
    child process for the duration."""
    from tests.s3 import s3_client

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Under gunicorn (one process: moto keeps the buckets in memory), so that connections
    # are kept alive as a real object store keeps them (bench/moto_wsgi.py says why).
    server = subprocess.Popen(  # noqa: S603 - our own interpreter, gunicorn and moto
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--chdir",
            str(ROOT / "bench"),
            "--worker-class",
            "gthread",
            "--workers",
            "1",
            "--threads",
            "8",
            "--keep-alive",
            "30",
            "--bind",
            f"127.0.0.1:{port}",
            "moto_wsgi:application",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.2)
        client = s3_client(endpoint)
        client.create_bucket(Bucket="h5p-bench")
        yield endpoint, "h5p-bench", client
    finally:
        server.terminate()
        server.wait(timeout=10)


def use_s3(endpoint, bucket):
    """Point the storages at the bucket, as production's settings do (before models load:
    file fields resolve their storage then)."""
    from django.conf import settings

    from tests.s3 import site_storages

    settings.STORAGES = site_storages(endpoint, bucket)


def empty_bucket(client, bucket):
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys = [{"Key": item["Key"]} for item in page.get("Contents", ())]
        if keys:
            client.delete_objects(Bucket=bucket, Delete={"Objects": keys})


def run(path, repeat, clear_storage):
    """Alternate unzip, validate and import runs so that both sides see the same load;
    then one more import under tracemalloc. ``clear_storage()`` removes every stored
    file between runs."""
    from django.conf import settings
    from django.core.files import File

    from learning.h5p.services import import_h5p
    from learning.h5p.validator import validate_package
    from learning.models import H5PContent, H5PLibrary

    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    times = {"unzip": [], "validate": [], "import": []}
    libraries = 0

    def import_once():
        with open(path, "rb") as package:
            upload = File(package, name=path.name)
            return timed(import_h5p, upload, user=None, allow_libraries=True)

    def clear():
        nonlocal libraries
        libraries = H5PLibrary.objects.count()
        H5PContent.objects.all().delete()
        H5PLibrary.objects.all().delete()
        clear_storage()

    for _ in range(repeat):
        # unzip writes to the same disk as the media storage.
        times["unzip"].append(unzip_once(path, media))
        with open(path, "rb") as package:
            times["validate"].append(
                timed(validate_package, package, filename=path.name, may_install_libraries=True)
            )
        times["import"].append(import_once())
        clear()
    tracemalloc.start()
    import_once()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    clear()
    return times, libraries, peak


@contextmanager
def _no_server():
    yield None


def files_written(path):
    """How many files of the package a cold import writes (the player's, not the editor's)."""
    from learning.h5p.storage import played_files
    from learning.h5p.validator import validate_package

    with open(path, "rb") as package:
        valid = validate_package(package, filename=path.name, may_install_libraries=True)
    return len(valid.content_files) + sum(
        len(list(played_files(library))) for library in valid.to_install
    )


def learning_workers():
    from learning.conf import learning_settings

    return learning_settings.LEARNING_H5P_STORAGE_WORKERS


def measure(path, repeat, server):
    import django
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    if server:
        _endpoint, bucket, client = server

        def clear_storage():
            empty_bucket(client, bucket)
    else:
        from learning.storage import private_storage

        def clear_storage():
            shutil.rmtree(Path(private_storage().location) / "h5p", ignore_errors=True)

    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        return run(path, repeat, clear_storage)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        if not server:
            from learning.storage import private_storage

            shutil.rmtree(private_storage().location, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--storage", choices=["disk", "s3"], default="disk")
    args = parser.parse_args()
    path = args.path or largest_sample()
    with moto_s3_bucket() if args.storage == "s3" else _no_server() as server:
        if server:
            endpoint, bucket, client = server
            use_s3(endpoint, bucket)
            where = f"s3 (moto server at {endpoint}, in its own process)"
        else:
            where = "disk (the private storage's folder)"
        times, libraries, peak = measure(path, args.repeat, server)

    with zipfile.ZipFile(path) as archive:
        entries = sum(not info.is_dir() for info in archive.infolist())
    from django.db import connection

    print(
        f"package:  {path.name} ({path.stat().st_size:,} bytes, {entries} files; "
        f"the import writes {files_written(path)} of them and the package)"
    )
    print(f"database: {connection.vendor}; {libraries} libraries installed per import")
    print(f"storage:  {where}; {learning_workers()} storage workers")

    header = f"{'':20} {'wall median':>12} {'wall best':>10} {'CPU median':>11}"
    print(f"{header}   ({args.repeat} runs)")
    for label, key in (
        ("unzip", "unzip"),
        ("validate only", "validate"),
        ("validate + import", "import"),
    ):
        wall = [value[0] for value in times[key]]
        cpu = [value[1] for value in times[key]]
        print(
            f"{label:20} {statistics.median(wall) * 1000:10.1f}ms {min(wall) * 1000:8.1f}ms "
            f"{statistics.median(cpu) * 1000:9.1f}ms"
        )

    def ratio(pick, index):
        return pick([v[index] for v in times["import"]]) / pick([v[index] for v in times["unzip"]])

    print(
        f"ratio import/unzip:  wall median {ratio(statistics.median, 0):.2f}x, "
        f"wall best {ratio(min, 0):.2f}x, CPU median {ratio(statistics.median, 1):.2f}x "
        f"(target <= {3 if args.storage == 's3' else 2}x)"
    )
    print(
        f"peak memory of one import: {peak / 2**20:.1f} MiB (tracemalloc); "
        f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
