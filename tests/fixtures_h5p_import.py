"""Fixtures and helpers for H5P import tests (and anyone needing imported H5P content)."""

import os

import pytest
from django.core.files.base import ContentFile

from learning.h5p import samples
from learning.h5p.errors import H5PValidationError
from learning.storage import private_storage


def stored_h5p_files():
    """Every file under the private storage's h5p/ folder (the local disk in tests)."""
    root = os.path.join(private_storage().location, "h5p")
    found = set()
    for directory, _dirs, files in os.walk(root):
        found.update(os.path.relpath(os.path.join(directory, name), root) for name in files)
    return found


def h5p_row_counts():
    from learning.models import H5PContent, H5PContentVersion, H5PLibrary

    return {
        model.__name__: model.objects.count()
        for model in (H5PContent, H5PContentVersion, H5PLibrary)
    }


@pytest.fixture
def h5p_upload():
    """``h5p_upload(**build_package_overrides)``: an uploaded-file-like .h5p of the
    project's own content type; pass ``data=`` to wrap bytes of your own."""

    def make(name="quick-check.h5p", data=None, **overrides):
        return ContentFile(data if data is not None else samples.build_package(**overrides), name)

    return make


@pytest.fixture
def quick_check_content(db):
    """An imported H5P.CBQuickCheck content (the library installed by the command line)."""
    return samples.ensure_demo_content(
        "Rio conventions quick check",
        samples.DEFAULT_QUESTION,
        samples.DEFAULT_ANSWERS,
        0,
    )


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LIBRARY_FOLDER = "H5P.CBQuickCheck-1.0"


def refused(data, code, file=None, name="package.h5p"):
    """Import ``data``; assert it is refused for ``code`` naming ``file``, nothing written."""
    from learning.h5p.services import import_h5p

    files_before, rows_before = stored_h5p_files(), h5p_row_counts()
    with pytest.raises(H5PValidationError) as caught:
        import_h5p(ContentFile(data, name=name), user=None, allow_libraries=True)
    error = caught.value
    assert code in error.codes, error.messages
    if file is not None:
        assert any(file in message for message in error.messages), error.messages
    assert stored_h5p_files() == files_before
    assert h5p_row_counts() == rows_before
    return error


def files_with(**changes):
    files = samples.package_files()
    files.update(changes)
    return files


def raw_entries(extra):
    """The valid package's files plus ``extra`` (name or ZipInfo, bytes) pairs."""
    return list(samples.package_files().items()) + list(extra)


def patch_zip(data, name, *, local_offset, central_offset, value, size=2, mode="or"):
    """Change a header field of entry ``name`` in both its local and central headers."""
    buffer = bytearray(data)
    encoded = name.encode()
    for signature, name_length_at, name_at, offset in (
        (b"PK\x03\x04", 26, 30, local_offset),
        (b"PK\x01\x02", 28, 46, central_offset),
    ):
        position = 0
        while (position := buffer.find(signature, position)) != -1:
            length = int.from_bytes(
                buffer[position + name_length_at : position + name_length_at + 2], "little"
            )
            if buffer[position + name_at : position + name_at + length] == encoded:
                field = slice(position + offset, position + offset + size)
                current = int.from_bytes(buffer[field], "little")
                new = current | value if mode == "or" else value
                buffer[field] = new.to_bytes(size, "little")
            position += 4
    return bytes(buffer)
