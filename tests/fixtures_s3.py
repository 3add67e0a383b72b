"""A real S3-compatible server for storage tests: moto's server mode (the HTTP API, not a
mock of boto3), started once per test run on a free loopback port. The storages on its
buckets are built by ``tests/s3.py`` (which the benchmarks share)."""

import uuid
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.test import override_settings

from learning.storage import private_storage
from tests.s3 import s3_client, site_storages


@pytest.fixture(scope="session")
def s3_endpoint():
    """``http://127.0.0.1:<port>`` of a moto server running in a thread of this process."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint):
    """A new, empty bucket on the server: ``(name, boto3 client)``."""
    name = f"learning-{uuid.uuid4().hex[:12]}"
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket=name)
    return name, client


@contextmanager
def site_storages_on(endpoint, bucket, private_backend=None):
    """The site's storages on ``bucket``, as production builds them (``s3_storages``);
    ``private_backend``: another class for the private storage (a test's subclass)."""
    configured = site_storages(endpoint, bucket, private_backend)
    try:
        with override_settings(STORAGES=configured), _private_file_fields_on(private_storage):
            yield
    finally:
        storages._storages = {}


@pytest.fixture
def s3_settings(s3_endpoint, s3_bucket):
    """The site's storages on the bucket, as production builds them (``s3_storages``)."""
    name, client = s3_bucket
    with site_storages_on(s3_endpoint, name):
        yield name, client


@contextmanager
def _private_file_fields_on(storage_callable):
    """File fields resolve ``storage=private_storage`` once, when models load (as the
    production site does at start-up); point them at the storage now configured."""
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "_storage_callable", None) is storage_callable
    ]
    previous = [field.storage for field in fields]
    for field in fields:
        field.storage = storage_callable()
    try:
        yield
    finally:
        for field, storage in zip(fields, previous, strict=True):
            field.storage = storage
