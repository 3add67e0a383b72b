"""Benchmark: validate + import of the largest H5P sample vs `unzip` of the same file.

    .venv/bin/python bench/h5p_import.py [PATH.h5p] [--repeat N]

Each import is "cold": the libraries are installed every time (rows and files removed
between runs, outside the timing), so both sides write every file of the package. Runs
on a throw-away test database and media folder (SQLite, or PostgreSQL with DATABASE_URL).
Runs alternate so both sides see the same machine load. Prints median and best times
and the ratio import/unzip; the target is <= 2x.
"""

import argparse
import os
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


def unzip_once(path, parent):
    target = tempfile.mkdtemp(prefix="h5p-unzip-", dir=parent)
    start = time.perf_counter()
    subprocess.run([UNZIP, "-q", "-o", str(path), "-d", target], check=True)  # noqa: S603
    elapsed = time.perf_counter() - start
    shutil.rmtree(target)
    return elapsed


def run(path, repeat):
    """Alternate unzip, validate and import runs so that both sides see the same load."""
    from django.conf import settings
    from django.core.files import File

    from learning.h5p.validator import validate_package
    from learning.models import H5PContent, H5PLibrary
    from learning.services import import_h5p

    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    times = {"unzip": [], "validate": [], "import": []}
    libraries = 0
    for _ in range(repeat):
        # unzip writes to the same disk as the media storage.
        times["unzip"].append(unzip_once(path, media))
        with open(path, "rb") as package:
            start = time.perf_counter()
            validate_package(package, filename=path.name, may_install_libraries=True)
            times["validate"].append(time.perf_counter() - start)
        with open(path, "rb") as package:
            start = time.perf_counter()
            import_h5p(File(package, name=path.name), user=None, allow_libraries=True)
            times["import"].append(time.perf_counter() - start)
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
    print(f"{'':20} {'median':>9} {'best':>9}   ({args.repeat} runs)")
    for label, key in (
        ("unzip", "unzip"),
        ("validate only", "validate"),
        ("validate + import", "import"),
    ):
        values = times[key]
        print(f"{label:20} {statistics.median(values) * 1000:7.1f}ms {min(values) * 1000:7.1f}ms")
    median = statistics.median(times["import"]) / statistics.median(times["unzip"])
    best = min(times["import"]) / min(times["unzip"])
    print(f"ratio import/unzip:  {median:7.2f}x  {best:7.2f}x   (target <= 2x)")


if __name__ == "__main__":
    main()
