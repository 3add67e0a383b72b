"""The project's one file-signature table (``learning.file_types``): a type is judged the
same way by both rooms that check uploaded bytes, workshop materials and H5P packages.

They used to keep a table each and disagreed on MP4: materials accepted any file whose
second box was ``moov``, ``mdat``, ``wide`` or ``free`` (QuickTime's old atoms), H5P
only the ISO base media ``ftyp`` box."""

import io

import pytest
from django.core.exceptions import ValidationError

from learning.file_types import SIGNATURES
from learning.h5p import samples
from learning.h5p.errors import H5PValidationError
from learning.h5p.validator import validate_package
from learning.h5p.validator.archive import CONTENT_EXTENSIONS, TEXT_EXTENSIONS
from learning.workshops.file_types import ALLOWED_TYPES, validate_material_file
from tests.fixtures_workshops import make_upload

PADDING = b"\x00" * 64


def accepted_as_material(name, data):
    """Whether the workshop materials check accepts ``data``'s bytes for ``name``."""
    try:
        validate_material_file(make_upload(name, data))
    except ValidationError as error:
        assert error.code == "content_mismatch", error.messages
        return False
    return True


def accepted_in_h5p_content(name, data):
    """Whether the H5P validator accepts ``data``'s bytes as ``content/<name>``."""
    package = samples.build_package(extra_files={f"content/{name}": data})
    try:
        validate_package(io.BytesIO(package), may_install_libraries=True)
    except H5PValidationError as error:
        assert error.codes == ["magic-mismatch"], error.messages
        return False
    return True


@pytest.mark.parametrize(
    "head, accepted",
    [
        (b"\x00\x00\x00\x18ftypmp42", True),  # ISO base media: the ftyp box comes first
        (b"\x00\x00\x00\x20ftypisom", True),
        (b"\x00\x00\x00\x08moov", False),  # QuickTime atoms: only .mov may start so
        (b"\x00\x00\x00\x08mdat", False),
        (b"\x00\x00\x00\x08wide", False),
        (b"\x00\x00\x00\x08free", False),
        (b"<html><script>alert(1)</script></html>", False),
    ],
)
@pytest.mark.parametrize("extension", ["mp4", "m4a"])
def test_mp4_is_judged_the_same_way_by_workshop_materials_and_h5p_packages(
    extension, head, accepted
):
    name = f"clip.{extension}"
    assert accepted_as_material(name, head + PADDING) is accepted
    assert accepted_in_h5p_content(name, head + PADDING) is accepted


def test_a_quicktime_movie_may_start_with_an_old_atom():
    assert accepted_as_material("clip.mov", b"\x00\x00\x00\x08moov" + PADDING)


@pytest.mark.parametrize(
    "extension",
    sorted((set(ALLOWED_TYPES) & CONTENT_EXTENSIONS) - TEXT_EXTENSIONS),
)
def test_every_type_both_rooms_accept_is_refused_by_both_when_its_bytes_are_markup(extension):
    name = f"file.{extension}"
    markup = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>" + PADDING
    assert not accepted_as_material(name, markup)
    assert not accepted_in_h5p_content(name, markup)


def test_every_binary_type_either_room_accepts_has_one_signature():
    binary = (set(ALLOWED_TYPES) | CONTENT_EXTENSIONS) - TEXT_EXTENSIONS
    assert binary <= set(SIGNATURES)
