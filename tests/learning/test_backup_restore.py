"""backup_site and restore_site end to end on the real database (SQLite or PostgreSQL, as
the suite runs) and the real private storage: rows are committed (transactional tests) so
pg_dump sees them; each restore brings the database back to the test's own data, which the
normal teardown flush then empties."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, connections

from learning.models import WorkshopMaterial
from learning.storage import private_storage
from learning.workshops import services
from tests.fixtures_workshops import make_upload

pytestmark = pytest.mark.django_db(transaction=True)

MATERIAL_BYTES = b"%PDF-1.4\n% backup test\n" + bytes(range(256)) * 4


@pytest.fixture
def site_data(trainer_africa, africa_workshop):
    """A workshop material (a row and a file in private storage) and a second account."""
    from learning.factories import MINIMAL_PDF

    material = services.add_material(
        africa_workshop,
        make_upload("Field notes.pdf", MINIMAL_PDF + MATERIAL_BYTES),
        user=trainer_africa,
        kind="handout",
        language="en",
    )
    keeper = get_user_model().objects.create_user(
        username="keeper", email="keeper@example.org", password="x"
    )
    with private_storage().open(material.file.name, "rb") as handle:
        data = handle.read()
    return {"material_pk": material.pk, "file": material.file.name, "bytes": data, "keeper": keeper}


def _damage(site_data):
    """Delete the rows and alter the file: what a restore has to undo."""
    WorkshopMaterial.objects.filter(pk=site_data["material_pk"]).delete()
    get_user_model().objects.filter(pk=site_data["keeper"].pk).delete()
    get_user_model().objects.create_user(username="after-backup", password="x")
    storage = private_storage()
    if storage.exists(site_data["file"]):
        storage.delete(site_data["file"])
    assert storage.save(site_data["file"], ContentFile(b"damaged")) == site_data["file"]


def _state(site_data):
    with private_storage().open(site_data["file"], "rb") as handle:
        data = handle.read()
    users = get_user_model().objects
    return {
        "material": WorkshopMaterial.objects.filter(pk=site_data["material_pk"]).exists(),
        "keeper": users.filter(pk=site_data["keeper"].pk).exists(),
        "after_backup": users.filter(username="after-backup").exists(),
        "bytes": data,
    }


def _rewrite(archive, target, change):
    """Copy ``archive`` to ``target``, passing each member's (name, bytes) through ``change``."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


def test_backup_then_restore_brings_back_rows_and_file_bytes(site_data, tmp_path):
    stdout = io.StringIO()
    call_command("backup_site", str(tmp_path), stdout=stdout)

    archives = list(tmp_path.iterdir())
    assert len(archives) == 1 and archives[0].name.endswith(".tar.gz"), archives
    archive = archives[0]
    with tarfile.open(archive, "r:gz") as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
        names = set(opened.getnames())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["member"] in names
    assert manifest["file_count"] == len(manifest["files"])
    entry = next(e for e in manifest["files"] if e["name"] == site_data["file"])
    assert entry["storage"] == "learning_private"
    assert entry["sha256"] == hashlib.sha256(site_data["bytes"]).hexdigest()
    assert f"{manifest['file_count']} files" in stdout.getvalue()

    _damage(site_data)
    assert _state(site_data) == {
        "material": False,
        "keeper": False,
        "after_backup": True,
        "bytes": b"damaged",
    }

    call_command("restore_site", str(archive), "--yes", stdout=io.StringIO())
    connections.close_all()

    assert _state(site_data) == {
        "material": True,
        "keeper": True,
        "after_backup": False,
        "bytes": site_data["bytes"],
    }
    material = WorkshopMaterial.objects.get(pk=site_data["material_pk"])
    assert material.file.name == site_data["file"]
    assert material.uploaded_by.email == "trainer-a@example.org"


def test_restore_without_yes_names_what_it_would_replace_and_changes_nothing(site_data, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    _damage(site_data)
    before = _state(site_data)

    with pytest.raises(CommandError, match="--yes") as error:
        call_command("restore_site", str(archive), stdout=io.StringIO())

    assert connection.vendor in str(error.value)
    assert "learning_private" in str(error.value)
    assert _state(site_data) == before


def test_tampered_archive_is_refused_and_nothing_is_written(site_data, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    tampered = tmp_path / "tampered.tar.gz"
    member = f"files/learning_private/{site_data['file']}"
    _rewrite(archive, tampered, lambda name, data: data + b"!" if name == member else data)
    _damage(site_data)
    before = _state(site_data)

    with pytest.raises(CommandError, match=f"{member} does not match the manifest"):
        call_command("restore_site", str(tampered), "--yes", stdout=io.StringIO())

    assert _state(site_data) == before


def test_archive_of_another_database_vendor_is_refused(site_data, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"

    def change_vendor(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["vendor"] = other
        return json.dumps(manifest).encode()

    foreign = tmp_path / "foreign.tar.gz"
    _rewrite(archive, foreign, change_vendor)
    _damage(site_data)
    before = _state(site_data)

    with pytest.raises(CommandError, match=f"holds a {other} database"):
        call_command("restore_site", str(foreign), "--yes", stdout=io.StringIO())
    assert _state(site_data) == before


def test_failed_backup_exits_with_the_reason_and_leaves_no_archive(site_data, tmp_path):
    target = tmp_path / "missing-dir" / "site.tar.gz"
    with pytest.raises(CommandError, match="missing-dir does not exist"):
        call_command("backup_site", str(target), stdout=io.StringIO())
    assert not (tmp_path / "missing-dir").exists()

    # A file the storage lists but cannot read (a dangling link on the disk): the archive
    # written so far is removed, nothing is left.
    storage = private_storage()
    broken = Path(storage.path("zz-broken.pdf"))
    broken.symlink_to(tmp_path / "gone.pdf")
    try:
        with pytest.raises(CommandError, match="zz-broken.pdf"):
            call_command("backup_site", str(tmp_path / "site.tar.gz"), stdout=io.StringIO())
    finally:
        broken.unlink()
    assert list(tmp_path.iterdir()) == []


def test_backup_and_restore_of_storages_on_s3(s3_settings, site_data, tmp_path):
    """The same commands with both storages in an S3 bucket (a real moto server)."""
    bucket, client = s3_settings
    key = f"private/{site_data['file']}"
    assert client.get_object(Bucket=bucket, Key=key)["Body"].read() == site_data["bytes"]
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    with tarfile.open(archive, "r:gz") as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
    assert {(e["storage"], e["name"]) for e in manifest["files"]} == {
        ("learning_private", site_data["file"])
    }

    _damage(site_data)
    assert client.get_object(Bucket=bucket, Key=key)["Body"].read() == b"damaged"

    call_command("restore_site", str(archive), "--yes", stdout=io.StringIO())
    connections.close_all()

    assert client.get_object(Bucket=bucket, Key=key)["Body"].read() == site_data["bytes"]
    assert _state(site_data)["material"] and _state(site_data)["keeper"]
