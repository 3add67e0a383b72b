"""A web process never imports the demo builders: they pull in factory-boy and Faker,
which only the ``load_demo_data`` command needs (the ``learning_demo_data`` hooks import
them when the command calls them)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db

DEMO_ONLY_MODULES = [
    "factory",
    "faker",
    "learning.demo",
    "learning.factories",
    "learning.h5p.demo",
    "learning.workshops.demo",
    "courses.demo",
    "courses.factories",
    "webinars.demo",
    "webinars.factories",
]

WEB_PROCESS = textwrap.dedent(
    """
    import json
    import os
    import sys

    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = os.environ["TEST_DATABASE_NAME"]
    django.setup()

    from django.test import Client
    from django.urls import get_resolver
    from wagtail import hooks

    get_resolver().url_patterns  # the URLconf, with Wagtail's admin URLs
    hooks.search_for_hooks()  # every app's wagtail_hooks
    client = Client(raise_request_exception=False)
    statuses = [client.get(path).status_code for path in ("/", "/admin/login/")]
    demo_only = json.loads(os.environ["DEMO_ONLY_MODULES"])
    loaded = [name for name in demo_only if name in sys.modules]

    # Loading the demo-data command imports none either (it imports the builders when it
    # runs, so that it can name the missing extra) ...
    from learning.management.commands import load_demo_data

    with_command = [name for name in demo_only if name in sys.modules]
    # ... and the check sees them once the builders are imported.
    import learning.demo

    with_demo = [name for name in demo_only if name in sys.modules]
    print(json.dumps({
        "statuses": statuses, "loaded": loaded, "with_command": with_command,
        "with_demo": with_demo,
    }))
    """
)


def test_serving_requests_imports_no_demo_builder_factory_boy_or_faker():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
        "TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "DEMO_ONLY_MODULES": json.dumps(DEMO_ONLY_MODULES),
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", WEB_PROCESS],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["statuses"][1] == 200, report  # the admin login page was served
    assert report["loaded"] == []
    assert report["with_command"] == []
    assert {"factory", "faker", "learning.demo"} <= set(report["with_demo"])
