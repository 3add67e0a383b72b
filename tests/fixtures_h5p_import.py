"""Fixtures for H5P import tests (and anyone needing imported H5P content)."""

import os

import pytest
from django.core.files.base import ContentFile

from learning.h5p import samples
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
