"""The site's storages on a bucket of a test S3 server (moto), shared by the storage tests
(``tests/fixtures_s3.py``) and the benchmarks (``bench/h5p_import.py``).

Plain functions: this module imports neither pytest nor Django's test utilities, so a
benchmark can import it without pulling test-only packages in."""

import boto3

from config.settings.s3 import s3_storages

S3_ACCESS_KEY = "testing-access-key"
S3_SECRET_KEY = "testing-secret-key"  # noqa: S105
S3_REGION = "us-east-1"


def s3_client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
    )


def site_storages(endpoint, bucket, private_backend=None):
    """``STORAGES`` of the site on ``bucket``, as production builds them (``s3_storages``);
    ``private_backend``: another class for the private storage (a test's subclass)."""
    configured = s3_storages(
        bucket_name=bucket,
        endpoint_url=endpoint,
        region_name=S3_REGION,
        access_key=S3_ACCESS_KEY,
        secret_key=S3_SECRET_KEY,
        addressing_style="path",
        staticfiles_backend="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    if private_backend is not None:
        configured["learning_private"]["BACKEND"] = private_backend
    return configured
