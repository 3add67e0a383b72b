"""The plugin works when installed from its wheel into another Wagtail site.

Builds the wheel from a copy of the checkout (the files git tracks or would track: nothing
ignored, so no compiled catalogues and no node_modules), installs it with its dependencies
into a fresh virtualenv, writes the minimal host project of the README's "Installing the
plugin into another Wagtail site" (``tests/learning/wheel_host/``), migrates it on SQLite
and serves a home page, a course, a webinar and a workshop page with Django's test client
in that virtualenv. Run once, in CI's SQLite pass (skipped when DATABASE_URL is set).
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST_FILES = Path(__file__).resolve().parent / "wheel_host"
MANAGE_PY = """\
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostsite.settings")
from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
"""

pytestmark = [
    pytest.mark.wheel,
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")),
        reason="builds and installs the wheel once per CI run, in the SQLite pass",
    ),
]


def run(args, cwd, env=None, check=True):
    result = subprocess.run(  # noqa: S603 - fixed commands on files of this test
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    if check:
        assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def clean_copy(target):
    """The checkout as a fresh clone (plus files not yet committed) would have it."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def test_the_wheel_installed_in_a_fresh_virtualenv_serves_a_host_sites_pages(tmp_path):
    timings = {}
    started = time.monotonic()

    def lap(name):
        nonlocal started
        timings[name] = round(time.monotonic() - started, 1)
        started = time.monotonic()

    source = tmp_path / "source"
    clean_copy(source)
    assert not list(source.rglob("*.mo")) and not (source / "node_modules").exists()
    run([sys.executable, "-m", "pip", "wheel", source, "--no-deps", "-w", tmp_path / "dist"], ROOT)
    (wheel,) = (tmp_path / "dist").glob("wagtail_capacity_building-*.whl")
    lap("build")

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path)
    python = venv / "bin" / "python"
    # With its dependencies, from the configured index, by this environment's pip (pip's
    # cache makes a re-run quick; --no-compile: only the modules used get compiled).
    pip_install = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet"]
    run([*pip_install, "--no-compile", wheel], tmp_path)
    lap("install")

    host = tmp_path / "host"
    shutil.copytree(HOST_FILES, host / "hostsite", ignore=shutil.ignore_patterns("__pycache__"))
    (host / "manage.py").write_text(MANAGE_PY)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
    }
    env["HOST_DB"] = str(tmp_path / "host.sqlite3")
    manage = [python, host / "manage.py"]

    # Test-only and demo-only packages are not runtime dependencies.
    no_factory = run([python, "-c", "import factory"], host, env, check=False)
    assert no_factory.returncode != 0 and "No module named 'factory'" in no_factory.stderr

    run([*manage, "migrate", "--noinput", "-v", "0"], host, env)
    lap("migrate")
    served = run([*manage, "shell", "-c", (HOST_FILES / "serve_pages.py").read_text()], host, env)
    lap("serve")
    result = json.loads(served.stdout.split("RESULT", 1)[1])

    # The plugin was imported from the virtualenv, not from the checkout.
    assert result["learning_path"].startswith(str(venv)), result["learning_path"]
    assert set(result["pages"]) == {"home", "course", "webinar", "workshop"}
    for name, page in result["pages"].items():
        assert page["status"] == 200, (name, page["url"], page["body"][:2000])
        # base.html (learning.sitewide) rendered around the page's own template.
        assert 'class="skip-link"' in page["body"], name
        assert "Skip to main content" in page["body"], name
    assert "Installed course" in result["pages"]["course"]["body"]
    assert "Installed webinar" in result["pages"]["webinar"]["body"]
    assert "Installed workshop" in result["pages"]["workshop"]["body"]
    # The catalogues were compiled into the wheel: the site-wide one and an app's.
    assert "Aller au contenu principal" in result["french_home"]
    assert result["french_app_string"] != result["app_string"]
    # The site's static files are found by the staticfiles finders.
    assert result["static"] == {"css/site.css": True, "js/site.js": True, "favicon.ico": True}

    demo = run([*manage, "load_demo_data"], host, env, check=False)
    assert demo.returncode != 0
    assert "wagtail-capacity-building[demo]" in demo.stderr

    print(f"wheel install timings (s): {timings}")
