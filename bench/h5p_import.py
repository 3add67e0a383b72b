"""Benchmark: validate + import of the largest H5P sample vs `unzip` of the same file.

    .venv/bin/python bench/h5p_import.py [PATH.h5p] [--repeat N]

Each import is "cold": the libraries are installed every time (rows and files removed
between runs, outside the timing), so both sides write every file of the package. Runs
on a throw-away test database and media folder (SQLite, or PostgreSQL with DATABASE_URL).
Runs alternate so both sides see the same machine load. Prints wall-clock (median, best)
and CPU time (user + system; the import's includes its SQLite work but not a PostgreSQL
server's), and the ratios import/unzip; the target is <= 2x. CPU time is the figure that
holds on a busy machine.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
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


def run(path, repeat):
    """Alternate unzip, validate and import runs so that both sides see the same load."""
    from django.conf import settings
    from django.core.files import File

    from learning.h5p.services import import_h5p
    from learning.h5p.validator import validate_package
    from learning.models import H5PContent, H5PLibrary

    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    times = {"unzip": [], "validate": [], "import": []}
    libraries = 0
    for _ in range(repeat):
        # unzip writes to the same disk as the media storage.
        times["unzip"].append(unzip_once(path, media))
        with open(path, "rb") as package:
            times["validate"].append(
                timed(validate_package, package, filename=path.name, may_install_libraries=True)
            )
        with open(path, "rb") as package:
            upload = File(package, name=path.name)
            times["import"].append(timed(import_h5p, upload, user=None, allow_libraries=True))
        libraries = H5PLibrary.objects.count()
        H5PContent.objects.all().delete()
        H5PLibrary.objects.all().delete()
        shutil.rmtree(media / "h5p", ignore_errors=True)
    return times, libraries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    path = args.path or largest_sample()

    import django
    from django.db import connection
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        times, libraries = run(path, args.repeat)
    finally:
        from django.conf import settings

        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)

    with zipfile.ZipFile(path) as archive:
        entries = len(archive.infolist())
    print(f"package:  {path.name} ({path.stat().st_size:,} bytes, {entries} entries)")
    print(f"database: {connection.vendor}; {libraries} libraries installed per import")
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
        "(target <= 2x)"
    )


if __name__ == "__main__":
    main()
