"""H5P import on an S3-compatible store (moto's server, over HTTP): files are written in
parallel, streamed from the archive, and a failure part-way removes every file the import
wrote, including those other threads finished after the failure, never a file it did not
write."""

import mimetypes
import threading
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection
from django.db.models.signals import post_save
from django.test import override_settings
from storages.backends.s3 import S3Storage

from learning.h5p import samples
from learning.h5p import storage as h5p_storage
from learning.h5p.services import import_h5p
from learning.models import H5PContentVersion, H5PLibrary
from learning.storage import private_storage
from tests.fixtures_h5p_import import h5p_row_counts
from tests.fixtures_s3 import site_storages_on

pytestmark = pytest.mark.django_db


class HookedS3Storage(S3Storage):
    """The project's S3 storage, with hooks a test sets on the class: ``before_save(name)``
    runs in the writing thread before each upload. The hook sits where the parameters of
    an upload are computed, which both ``_save`` and the import's direct ``put_object``
    (learning/h5p/storage.py) go through; ``name`` is given without the location."""

    before_save = None

    def _get_write_parameters(self, name, content=None):
        if HookedS3Storage.before_save is not None:
            HookedS3Storage.before_save(name.removeprefix(f"{self.location}/"))
        return super()._get_write_parameters(name, content)


@pytest.fixture
def s3_test_storage(s3_endpoint, s3_bucket):
    """The private storage on a new bucket, as ``HookedS3Storage``: ``(bucket, client)``."""
    name, client = s3_bucket
    with site_storages_on(s3_endpoint, name, private_backend=f"{__name__}.HookedS3Storage"):
        yield name, client
    HookedS3Storage.before_save = None


def bucket_state(client, bucket):
    """``{key: ETag}`` of every object in the bucket."""
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"]: item["ETag"] for page in pages for item in page.get("Contents", ())}


def upload(**overrides):
    return ContentFile(samples.build_package(**overrides), name="quick-check.h5p")


@override_settings(LEARNING_H5P_STORAGE_WORKERS=4)
def test_import_on_s3_writes_files_in_parallel_streamed_from_the_archive(s3_test_storage):
    bucket, client = s3_test_storage
    arrived = threading.Barrier(2, timeout=10)
    waiting = []
    lock = threading.Lock()

    def two_uploads_at_once(name):
        # The first two uploads each wait for the other: one at a time, the barrier
        # breaks and the import fails.
        with lock:
            waiting.append(name)
            first_two = len(waiting) <= 2
        if first_two:
            arrived.wait()

    HookedS3Storage.before_save = two_uploads_at_once
    data = samples.build_package()
    version = import_h5p(ContentFile(data, name="quiz.h5p"), user=None, allow_libraries=True)

    library = version.libraries.get()
    with zipfile.ZipFile(ContentFile(data)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    expected = {f"private/{version.package.name}"}
    for name in entries:
        if name == "H5P.CBQuickCheck-1.0/semantics.json":
            continue  # only the editor reads it: not written
        if name.startswith("H5P.CBQuickCheck-1.0/"):
            expected.add(f"private/{library.storage_path}{name.split('/', 1)[1]}")
        elif name == "h5p.json" or name.startswith("content/"):
            expected.add(f"private/{version.storage_prefix}{name}")
    assert set(bucket_state(client, bucket)) == expected
    key = f"private/{library.storage_path}cbquickcheck.js"
    stored = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert stored == entries["H5P.CBQuickCheck-1.0/cbquickcheck.js"]
    assert len(waiting) == len(expected)

    # Each object is the one the storage's own _save writes: same key layout (checked
    # above), same content type and ACL.
    HookedS3Storage.before_save = None
    storage = private_storage()
    for name in ("cbquickcheck.js", "library.json"):
        imported = f"{library.storage_path}{name}"
        storage._save(f"h5p/reference/{name}", ContentFile(b"{}"))
        head = client.head_object(Bucket=bucket, Key=f"private/{imported}")
        reference = client.head_object(Bucket=bucket, Key=f"private/h5p/reference/{name}")
        assert head["ContentType"] == reference["ContentType"]
        assert head["ContentType"] == mimetypes.guess_type(name)[0]
        assert head.get("ContentEncoding") == reference.get("ContentEncoding")
        acl = client.get_object_acl(Bucket=bucket, Key=f"private/{imported}")["Grants"]
        reference_acl = client.get_object_acl(Bucket=bucket, Key=f"private/h5p/reference/{name}")[
            "Grants"
        ]
        assert acl == reference_acl
    assert head["ContentType"] == "application/json"


def test_library_files_already_on_the_store_are_kept_and_the_missing_ones_written(
    s3_test_storage,
):
    """An earlier import wrote part of a library patch and its rows were lost (a database
    restored from a backup): one listing of the libraries' folder finds it, its files
    stay as they are, the missing ones are written."""
    bucket, client = s3_test_storage
    key = "private/h5p/libraries/H5P.CBQuickCheck-1.0.0/library.json"
    client.put_object(Bucket=bucket, Key=key, Body=b"written earlier")

    version = import_h5p(upload(), user=None, allow_libraries=True)

    library = version.libraries.get()
    assert f"private/{library.storage_path}library.json" == key
    assert client.get_object(Bucket=bucket, Key=key)["Body"].read() == b"written earlier"
    script = client.get_object(Bucket=bucket, Key=f"private/{library.storage_path}cbquickcheck.js")
    assert script["Body"].read() == samples.package_files()["H5P.CBQuickCheck-1.0/cbquickcheck.js"]


@override_settings(LEARNING_H5P_STORAGE_WORKERS=4)
def test_failed_upload_on_s3_removes_every_file_of_the_import_and_keeps_shared_ones(
    s3_test_storage,
):
    """A library upgrade fails on one upload while three others are under way; those
    finish after the failure and are removed too. The installed library's files (which
    the content imported first plays with) stay, byte for byte."""
    bucket, client = s3_test_storage
    import_h5p(upload(), user=None, allow_libraries=True)
    before, rows_before = bucket_state(client, bucket), h5p_row_counts()
    failed = threading.Event()
    started = []
    lock = threading.Lock()

    def fail_the_second_upload(name):
        with lock:
            started.append(name)
            number = len(started)
        if number == 2:
            failed.set()
            raise OSError(f"injected: the store refused {name}")
        # The others finish only after the failure (or after 5 s without one).
        failed.wait(timeout=5)

    HookedS3Storage.before_save = fail_the_second_upload
    with pytest.raises(OSError, match="injected") as caught:
        import_h5p(upload(library_version="1.0.1"), user=None, allow_libraries=True)

    assert failed.is_set()
    assert len(started) >= 3  # uploads were under way beside the failing one
    assert any("writing h5p/" in note for note in caught.value.__notes__)
    assert bucket_state(client, bucket) == before
    assert h5p_row_counts() == rows_before
    assert H5PLibrary.objects.get().patch_version == 0


@pytest.mark.parametrize("workers", [1, 8])
def test_database_failure_after_the_uploads_removes_them_from_s3(s3_test_storage, workers):
    """Every file is written, then the database refuses the version row (a real error of
    the database, inside the import's transaction): nothing of the import remains."""
    bucket, client = s3_test_storage
    import_h5p(upload(), user=None, allow_libraries=True)
    before, rows_before = bucket_state(client, bucket), h5p_row_counts()
    uploaded = []
    HookedS3Storage.before_save = uploaded.append

    def database_error(sender, instance, created, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM learning_h5pcontentversion")

    post_save.connect(database_error, sender=H5PContentVersion)
    try:
        with (
            override_settings(LEARNING_H5P_STORAGE_WORKERS=workers),
            pytest.raises(DatabaseError),
        ):
            import_h5p(upload(library_version="1.0.1"), user=None, allow_libraries=True)
    finally:
        post_save.disconnect(database_error, sender=H5PContentVersion)

    assert any(name.startswith("h5p/packages/") for name in uploaded)  # all was written
    assert bucket_state(client, bucket) == before
    assert h5p_row_counts() == rows_before


def test_files_over_the_small_file_size_are_written_by_the_storage_save(
    s3_test_storage, monkeypatch
):
    """Small files go with one put_object, larger ones through S3Storage._save (multipart):
    with the limit lowered, both paths write the archive's bytes."""
    bucket, client = s3_test_storage
    data = samples.build_package()
    with zipfile.ZipFile(ContentFile(data)) as archive:
        infos = [
            info
            for info in archive.infolist()
            if info.filename.startswith("H5P.CBQuickCheck")
            and not info.filename.endswith("/semantics.json")  # not written
        ]
    limit = min(info.file_size for info in infos)
    assert any(info.file_size > limit for info in infos)  # both paths are taken
    monkeypatch.setattr(h5p_storage, "SMALL_FILE_SIZE", limit)
    version = import_h5p(ContentFile(data, name="quiz.h5p"), user=None, allow_libraries=True)
    library = version.libraries.get()
    with zipfile.ZipFile(ContentFile(data)) as archive:
        for info in infos:
            key = f"private/{library.storage_path}{info.filename.split('/', 1)[1]}"
            stored = client.get_object(Bucket=bucket, Key=key)["Body"].read()
            assert stored == archive.read(info)
