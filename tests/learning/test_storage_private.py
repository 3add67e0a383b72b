"""H5P packages (executable JavaScript) and workshop materials never get a public URL:
they live in the `learning_private` storage, outside MEDIA_ROOT."""

from pathlib import Path

import pytest
from django.conf import settings

from learning.h5p import samples
from learning.h5p.services import import_h5p
from learning.storage import private_storage

pytestmark = pytest.mark.django_db


def _public_files():
    media = Path(settings.MEDIA_ROOT)
    private = Path(private_storage().location)
    return [p for p in media.rglob("*") if p.is_file() and private not in p.parents]


def test_h5p_files_are_stored_outside_the_public_media_folder(h5p_upload):
    version = import_h5p(h5p_upload(data=samples.build_package()), user=None, allow_libraries=True)
    assert private_storage().exists(version.storage_prefix + "h5p.json")
    assert private_storage().exists(version.package.name)
    assert not [p for p in _public_files() if "h5p" in p.parts]
    assert not Path(private_storage().location).is_relative_to(Path(settings.MEDIA_ROOT) / "h5p")
