"""Private files on an S3-compatible store, against a real one (moto's server, over HTTP):
H5P packages and workshop materials land under the bucket's private prefix, are refused to
an unsigned request, and are served only through the site's permission-checked views."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from learning.factories import MINIMAL_PDF
from learning.h5p import player, samples
from learning.storage import private_storage
from learning.workshops import services
from tests.fixtures_h5p_play import add_activity_page
from tests.fixtures_workshops import make_upload
from tests.learning.test_settings_production import PRODUCTION_ENV
from tests.learning.test_views_h5p_player import on_content_host, player_path
from tests.s3 import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]


def _keys(client, bucket):
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return [item["Key"] for page in pages for item in page.get("Contents", ())]


def _unsigned_get(endpoint, bucket, key):
    """The status of a GET of the object without credentials (as any visitor could)."""
    try:
        with urllib.request.urlopen(f"{endpoint}/{bucket}/{key}", timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _signed_get(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return response.status, response.read()


def _body(response):
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_h5p_package_lands_under_the_private_prefix_and_is_served_by_the_content_origin(
    s3_settings, s3_endpoint, client, user
):
    bucket, s3 = s3_settings
    content = samples.ensure_demo_content("Quick check on S3", "Q?", ["a", "b"], 0)
    version = content.current_version

    keys = _keys(s3, bucket)
    assert f"private/{version.storage_prefix}h5p.json" in keys
    assert f"private/{version.package.name}" in keys
    assert any(key.endswith("/cbquickcheck.js") for key in keys)
    assert all(key.startswith("private/h5p/") for key in keys), keys
    # Nobody reads them from the bucket without credentials ...
    for key in keys:
        assert _unsigned_get(s3_endpoint, bucket, key) == 403, key
    # ... while a signed request does (the refusal is the ACL, not a broken server).
    status, manifest = _signed_get(private_storage().url(version.storage_prefix + "h5p.json"))
    assert status == 200 and b"H5P.CBQuickCheck" in manifest

    page = add_activity_page(content)
    client.force_login(user)
    token = player_path(client.get(page.url)).split("/")[2]
    served = on_content_host(client, f"/h5p/{token}/{version.pk}/h5p.json")
    assert served.status_code == 200
    assert _body(served) == manifest
    # Shared library files: no token, on the bare content host.
    client.cookies.clear()
    script = client.get(
        urlsplit(player.libraries_url()).path + "/H5P.CBQuickCheck-1.0/cbquickcheck.js",
        HTTP_HOST="h5p.testserver",
    )
    assert script.status_code == 200 and b"CBQuickCheck" in _body(script)
    # Without a valid token, the content origin serves nothing from the bucket.
    assert on_content_host(client, f"/h5p/forged/{version.pk}/h5p.json").status_code == 403


@pytest.mark.django_db
def test_workshop_material_lands_under_the_private_prefix_and_is_served_by_permission(
    s3_settings, s3_endpoint, client, trainer_africa, africa_workshop, participant, learner
):
    bucket, s3 = s3_settings
    data = MINIMAL_PDF
    material = services.add_material(
        africa_workshop,
        make_upload("handout.pdf", data, "application/pdf"),
        user=trainer_africa,
        kind="handout",
        language="en",
        visibility="participants",
    )

    key = f"private/{material.file.name}"
    assert key in _keys(s3, bucket)
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == data
    assert _unsigned_get(s3_endpoint, bucket, key) == 403

    url = reverse("learning:workshop_material_download", args=[material.pk])
    assert client.get(url).status_code == 302  # anonymous: asked to log in
    client.force_login(learner)
    assert client.get(url).status_code == 404  # not a participant
    client.force_login(participant)
    response = client.get(url)
    # A short-lived signed URL of the object, given only now (downloads resume on it).
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert _signed_get(response["Location"]) == (200, data)


@pytest.mark.django_db
def test_replacing_files_never_overwrites_an_object_in_place(s3_settings):
    """Imports rely on "save never overwrites" (the file system's rule): S3Storage
    overwrites by default, so the settings turn that off."""
    storage = private_storage()
    first = storage.save("h5p/probe.txt", make_upload("probe.txt", b"one"))
    second = storage.save("h5p/probe.txt", make_upload("probe.txt", b"two"))
    assert first == "h5p/probe.txt" and second != first
    assert storage.open(first).read() == b"one"


def _database_url():
    """The URL of the test database this process already migrated."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="production runs on PostgreSQL: run once per CI run, in the PostgreSQL pass",
)
@pytest.mark.django_db(transaction=True)
def test_production_settings_write_demo_data_to_the_bucket(
    s3_endpoint, s3_bucket, redis_url, tmp_path
):
    """``load_demo_data`` under production settings with only the README's variables:
    every file goes to the bucket (this failed on the first write with "Required
    parameter name not set")."""
    bucket, s3 = s3_bucket
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DJANGO_"))},
        **PRODUCTION_ENV,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "VAR_DIR": str(tmp_path / "var"),
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": S3_REGION,
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY,
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "load_demo_data", "--force"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    keys = _keys(s3, bucket)
    h5p = [key for key in keys if "/h5p/" in f"/{key}"]
    materials = [key for key in keys if "/workshop-materials/" in f"/{key}"]
    assert h5p and materials, keys
    assert all(key.startswith("private/") for key in h5p + materials), keys
    assert _unsigned_get(s3_endpoint, bucket, h5p[0]) == 403
    assert _unsigned_get(s3_endpoint, bucket, materials[0]) == 403
    assert not (tmp_path / "var" / "private").exists()


def test_the_h5p_import_benchmark_builds_its_s3_storages_without_test_packages():
    # bench/h5p_import.py shares tests/s3.py with these tests; it must not pull pytest,
    # moto's client side or Django's test utilities in with it.
    code = (
        "import runpy, sys\n"
        "bench = runpy.run_path('bench/h5p_import.py')\n"
        "bench['use_s3']('http://127.0.0.1:9', 'bucket')\n"
        "from django.conf import settings\n"
        "assert settings.STORAGES['learning_private']['OPTIONS']['bucket_name'] == 'bucket'\n"
        "test_only = ('pytest', '_pytest', 'pytest_django', 'moto', 'django.test',\n"
        "             'tests.fixtures')\n"
        "print(sorted(m for m in sys.modules if m.startswith(test_only)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "[]"
