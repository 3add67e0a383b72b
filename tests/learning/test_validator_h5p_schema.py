"""Schema and library rules of the H5P package validator (h5p.json, library.json,
language files, dependencies), each with its own crafted archive.

Each refused package goes through the real import service as the trusted command line
would (``allow_libraries=True``), and the test checks the rule named in the error, the
file named in the message, and that neither storage nor the database changed.
"""

import contextlib
import io
import json
import random

import pytest

from learning.h5p import samples
from learning.h5p.errors import H5PValidationError
from learning.h5p.services import import_h5p
from learning.h5p.validator import validate_package
from tests.fixtures_h5p_import import (
    LIBRARY_FOLDER,
    files_with,
    refused,
)

pytestmark = pytest.mark.django_db


def test_missing_h5p_json_is_refused():
    refused(samples.build_package(omit=["h5p.json"]), "missing-h5p-json", "package.h5p")


def test_h5p_json_that_is_not_json_is_refused():
    data = samples.zip_bytes(files_with(**{"h5p.json": b'{"title": "x",'}))
    refused(data, "h5p-json-syntax", "h5p.json")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": None}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"language": None}, "language"),
        ({"language": "en_GB!"}, "language"),
        ({"embedTypes": ["popup"]}, "embedTypes"),
        ({"embedTypes": None}, "embedTypes"),
        ({"mainLibrary": None}, "mainLibrary"),
        ({"mainLibrary": "H5P.Other"}, "mainLibrary"),
        ({"preloadedDependencies": None}, "preloadedDependencies"),
        ({"preloadedDependencies": [{"machineName": "H5P.CBQuickCheck"}]}, "preloadedDependencies"),
    ],
)
def test_h5p_json_schema(overrides, field):
    error = refused(samples.build_package(h5p_json=overrides), "h5p-json-invalid", "h5p.json")
    assert any(f"“{field}”" in message for message in error.messages)


def test_h5p_json_unknown_keys_are_ignored():
    data = samples.build_package(h5p_json={"somethingNew": {"a": 1}, "authors": []})
    assert validate_package(io.BytesIO(data), may_install_libraries=True)


def test_missing_content_json_is_refused():
    data = samples.build_package(omit=["content/content.json"])
    refused(data, "missing-content-json", "package.h5p")


def test_content_json_that_is_not_json_is_refused():
    data = samples.zip_bytes(files_with(**{"content/content.json": b"{nope"}))
    refused(data, "content-json-syntax", "content/content.json")


# -- library.json --------------------------------------------------------------------------


def test_library_folder_without_library_json_is_refused():
    data = samples.build_package(extra_files={"H5P.Stray-1.0/stray.js": b"alert(1)"})
    refused(data, "missing-library-json", "H5P.Stray-1.0")


def test_library_json_that_is_not_json_is_refused():
    data = samples.build_package(extra_files={f"{LIBRARY_FOLDER}/library.json": b"[1, 2"})
    refused(data, "library-json-syntax", f"{LIBRARY_FOLDER}/library.json")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": None}, "title"),
        ({"machineName": "H5P Quick<Check>"}, "machineName"),
        ({"patchVersion": None}, "patchVersion"),
        ({"patchVersion": "1.2"}, "patchVersion"),
        ({"runnable": None}, "runnable"),
        ({"runnable": "yes"}, "runnable"),
        ({"preloadedJs": "cbquickcheck.js"}, "preloadedJs"),
        ({"dynamicDependencies": [{"machineName": "H5P.X", "majorVersion": 1}]}, "dynamic"),
    ],
)
def test_library_json_schema(overrides, field):
    data = samples.build_package(library_json_overrides=overrides)
    error = refused(data, "library-json-invalid", f"{LIBRARY_FOLDER}/library.json")
    assert any(field in message for message in error.messages)


def test_library_folder_name_must_match_machine_name():
    files = samples.package_files()
    renamed = {name.replace(LIBRARY_FOLDER, "H5P.Other-1.0"): data for name, data in files.items()}
    refused(samples.zip_bytes(renamed), "library-folder-name", "H5P.Other-1.0/library.json")


def test_library_folder_may_be_named_without_version():
    files = samples.package_files()
    renamed = {
        name.replace(LIBRARY_FOLDER, "H5P.CBQuickCheck"): data for name, data in files.items()
    }
    assert validate_package(io.BytesIO(samples.zip_bytes(renamed)), may_install_libraries=True)


def test_preloaded_files_must_exist():
    data = samples.build_package(omit=[f"{LIBRARY_FOLDER}/cbquickcheck.js"])
    error = refused(data, "missing-preloaded-file", f"{LIBRARY_FOLDER}/library.json")
    assert "cbquickcheck.js" in error.messages[0]


def test_language_file_names_follow_h5p_rule():
    data = samples.build_package(extra_files={f"{LIBRARY_FOLDER}/language/XX!.json": b"{}"})
    refused(data, "language-file-name", f"{LIBRARY_FOLDER}/language/XX!.json")


def test_language_files_must_parse():
    data = samples.build_package(extra_files={f"{LIBRARY_FOLDER}/language/pt-br.json": b"{"})
    refused(data, "language-file-syntax", f"{LIBRARY_FOLDER}/language/pt-br.json")


def test_valid_language_files_are_accepted():
    data = samples.build_package(
        extra_files={f"{LIBRARY_FOLDER}/language/pt-br.json": b'{"semantics": []}'}
    )
    assert validate_package(io.BytesIO(data), may_install_libraries=True)


def test_core_api_newer_than_1_28_is_refused():
    data = samples.build_package(
        library_json_overrides={"coreApi": {"majorVersion": 1, "minorVersion": 29}}
    )
    error = refused(data, "core-api", f"{LIBRARY_FOLDER}/library.json")
    assert "1.29" in error.messages[0]


def test_core_api_1_28_is_accepted():
    data = samples.build_package(
        library_json_overrides={"coreApi": {"majorVersion": "1", "minorVersion": "28"}}
    )
    assert validate_package(io.BytesIO(data), may_install_libraries=True)


def test_same_library_twice_is_refused():
    files = samples.package_files()
    files.update(
        {
            name.replace(LIBRARY_FOLDER, "H5P.CBQuickCheck"): data
            for name, data in samples.package_files().items()
            if name.startswith(LIBRARY_FOLDER)
        }
    )
    refused(samples.zip_bytes(files), "duplicate-library", LIBRARY_FOLDER)


# -- dependency closure ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["preloadedDependencies", "dynamicDependencies", "editorDependencies"]
)
def test_library_dependencies_must_be_in_package_or_installed(kind):
    missing = {"machineName": "H5P.JoubelUI", "majorVersion": 1, "minorVersion": 3}
    data = samples.build_package(library_json_overrides={kind: [missing]})
    error = refused(data, "missing-dependency", f"{LIBRARY_FOLDER}/library.json")
    assert "H5P.JoubelUI 1.3" in error.messages[0]


def test_h5p_json_dependencies_must_be_in_package_or_installed():
    dependencies = [
        {"machineName": "H5P.CBQuickCheck", "majorVersion": "1", "minorVersion": "0"},
        {"machineName": "FontAwesome", "majorVersion": "4", "minorVersion": "5"},
    ]
    data = samples.build_package(h5p_json={"preloadedDependencies": dependencies})
    error = refused(data, "missing-dependency", "h5p.json")
    assert "FontAwesome 4.5" in error.messages[0]


def test_dependency_on_an_installed_library_is_satisfied(h5p_upload):
    import_h5p(h5p_upload(), user=None, allow_libraries=True)
    # A package that uses the installed library without shipping it.
    data = samples.build_package(
        omit=[name for name in samples.package_files() if "CBQuick" in name]
    )
    version = import_h5p(h5p_upload(data=data), user=None)
    assert [str(library) for library in version.libraries.all()] == ["H5P.CBQuickCheck 1.0.0"]


def test_several_problems_are_reported_together():
    data = samples.build_package(
        extra_files={"content/a.exe": b"MZ", "content/README": b"x"},
        h5p_json={"language": "??"},
    )
    with pytest.raises(H5PValidationError) as caught:
        validate_package(io.BytesIO(data), may_install_libraries=True)
    assert set(caught.value.codes) == {"extension-not-allowed", "no-extension"}
    assert json.dumps(caught.value.messages)  # plain, serialisable sentences


def test_randomly_malformed_manifests_are_refused_never_crash():
    rng = random.Random(2027)
    values = [None, 1, -1, "x", "1", [], {}, [1], [{"machineName": 5}], {"a": 1}, True, 1.5]
    targets = ["h5p.json", "content/content.json", f"{LIBRARY_FOLDER}/library.json"]
    for _ in range(300):
        files = samples.package_files()
        target = rng.choice(targets)
        document = json.loads(files[target])
        key = rng.choice([*document, "coreApi", "preloadedJs", "dynamicDependencies"])
        document[key] = rng.choice(values)
        files[target] = json.dumps(document if rng.random() > 0.1 else rng.choice(values))
        with contextlib.suppress(H5PValidationError):
            validate_package(io.BytesIO(samples.zip_bytes(files)), may_install_libraries=True)
