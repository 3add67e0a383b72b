"""The storages of a site whose files live in an S3-compatible bucket.

django-storages reads the bucket from each storage's OPTIONS (or from a global
``AWS_STORAGE_BUCKET_NAME`` setting); production reads the environment variable of that
name, so it must be passed on here, or the first write fails with "Required parameter
name not set". One bucket, two prefixes:

- ``media/``: Django's default storage (Wagtail images and documents);
- ``private/``: the ``learning_private`` storage (H5P packages, whose libraries are
  executable JavaScript, and workshop materials). Its objects are written with a private
  ACL and never linked: the permission-checked views of the site and of the H5P content
  origin read them and stream them. Any URL the storage builds is signed and expires.
"""


def s3_storages(
    *,
    bucket_name,
    endpoint_url=None,
    region_name=None,
    access_key=None,
    secret_key=None,
    addressing_style=None,
    media_location="media",
    private_location="private",
    private_acl="private",
    media_querystring_auth=True,
    staticfiles_backend="whitenoise.storage.CompressedManifestStaticFilesStorage",
):
    """``STORAGES`` for ``bucket_name``; empty values mean the boto3 default (credentials
    from the environment or the instance role, the AWS endpoint of the region)."""
    from botocore.config import Config

    common = {
        "bucket_name": bucket_name,
        "file_overwrite": False,
        # boto3's defaults (60 s to connect, 60 s per read, retried) would hold a request
        # for minutes on an unreachable store; a download or an import fails in seconds.
        "client_config": Config(
            s3={"addressing_style": addressing_style} if addressing_style else None,
            connect_timeout=3,
            read_timeout=20,
            retries={"mode": "standard", "max_attempts": 3},
        ),
    }
    for name, value in (
        ("endpoint_url", endpoint_url),
        ("region_name", region_name),
        ("access_key", access_key),
        ("secret_key", secret_key),
    ):
        if value:
            common[name] = value
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": media_location,
                "default_acl": None,
                "querystring_auth": media_querystring_auth,
            },
        },
        "staticfiles": {"BACKEND": staticfiles_backend},
        "learning_private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": private_location,
                # A bucket with ACLs disabled (Object Ownership "bucket owner enforced")
                # refuses ACL headers: set AWS_PRIVATE_ACL="" there and block public access
                # on the bucket instead.
                "default_acl": private_acl or None,
                "querystring_auth": True,
                "querystring_expire": 300,
            },
        },
    }
