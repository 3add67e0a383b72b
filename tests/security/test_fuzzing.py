"""Property-based fuzzing (issue 18, proof): random archives reach the H5P import and random
bodies reach the xAPI endpoint. The only outcomes allowed are the documented ones: a package
imported or refused with ``H5PValidationError`` and nothing written (never anything outside
the storage's h5p/ folder); a statement stored or answered 400/403/409, never a 500.

Under ``CI`` the examples are derandomised (the same ones every run, no flaky CI); locally
each run explores new ones."""

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.h5p import samples
from learning.h5p.errors import H5PValidationError
from learning.h5p.xapi import StatementError, load_body, parse_statement
from learning.storage import private_storage
from tests.fixtures_h5p_import import h5p_row_counts, stored_h5p_files
from tests.fixtures_h5p_play import statement

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 30))  # raise it for a longer local run
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# -- H5P archives ---------------------------------------------------------------------------

# Names built from what hostile packages use: separators, dot segments, control and
# direction characters, very long segments, case twins of real files.
NAME_PARTS = st.sampled_from(
    [
        "content",
        "content/images",
        "H5P.CBQuickCheck-1.0",
        "..",
        ".",
        "",
        "/",
        "\\",
        "a" * 250,
        "\x00",
        "\x1f",
        "\x7f",
        "\x85",
        "\u202e",
        "\u2066",
        "CONTENT.JSON",
        "h5p.json",
        "x.svg",
        "y.js",
        "z.png",
        "library.json",
        "__MACOSX",
        ".DS_Store",
        "é",
        "数据",
    ]
)
NAMES = st.lists(NAME_PARTS, min_size=1, max_size=5).map("/".join)
PAYLOADS = st.one_of(
    st.binary(max_size=256),
    st.sampled_from([b"{}", b"[]", b'{"title": 1}', b"\x89PNG\r\n\x1a\n" + b"\0" * 32, b"null"]),
)


@st.composite
def archives(draw):
    """A valid package, then random removals, replacements and additions."""
    files = samples.package_files()
    names = sorted(files)
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        files.pop(name)
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        files[name] = draw(PAYLOADS)
    for _added in range(draw(st.integers(0, 4))):
        files[draw(NAMES)] = draw(PAYLOADS)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    data = buffer.getvalue()
    if draw(st.booleans()):  # sometimes not even a whole ZIP
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=16))
    return data


def _every_file(root):
    """Files under ``root``, except the per-process folders of other test workers (running
    in parallel, they store and remove files of their own)."""
    found = set()
    for folder, subfolders, names in os.walk(root):
        if Path(folder) == Path(root):
            subfolders[:] = [
                name for name in subfolders if not name.isdigit() or name == str(os.getpid())
            ]
        found.update(Path(folder, name).relative_to(root).as_posix() for name in names)
    return found


@pytest.mark.django_db
@FUZZ
@given(data=archives())
def test_a_random_archive_is_imported_or_refused_and_writes_only_under_h5p(data):
    from learning.h5p.services import import_h5p

    h5p_root = Path(private_storage().location) / "h5p"
    watched = [Path(django_settings.MEDIA_ROOT).parent, h5p_root.parent.parent]
    before_all = [_every_file(root) for root in watched]
    before_h5p, rows = stored_h5p_files(), h5p_row_counts()
    try:
        import_h5p(ContentFile(data, name="fuzz.h5p"), user=None, allow_libraries=True)
    except H5PValidationError as error:
        assert error.messages  # a refusal names what is wrong
        assert stored_h5p_files() == before_h5p
        assert h5p_row_counts() == rows
    for root, before in zip(watched, before_all, strict=True):
        new = {root / name for name in _every_file(root) - before}
        assert all(h5p_root in path.parents for path in new), new


# -- xAPI bodies ----------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
STATEMENT_KEYS = st.sampled_from(
    [
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "id",
        "version",
        "stored",
        "authority",
        "attachments",
        "score",
        "scaled",
        "raw",
        "min",
        "max",
        "success",
        "completion",
        "duration",
        "extensions",
        "definition",
        "display",
        "objectType",
    ]
)


@settings(FUZZ, max_examples=EXAMPLES * 5)  # no database: cheap
@given(body=st.one_of(st.binary(max_size=300), JSON_VALUES.map(json.dumps)))
def test_a_random_body_parses_or_is_refused_with_a_reason(body):
    try:
        value = load_body(body)
        for item in value if isinstance(value, list) else [value]:
            parse_statement(item)
    except StatementError as error:
        assert str(error)


def _mutate(value, path, new):
    """``value`` with the dict at ``path`` (a list of keys, created if missing) given ``new``."""
    target = value
    for key in path[:-1]:
        if not isinstance(target.get(key), dict):
            target[key] = {}
        target = target[key]
    target[path[-1]] = new
    return value


@pytest.mark.django_db
@FUZZ
@given(
    changes=st.lists(
        st.tuples(st.lists(STATEMENT_KEYS, min_size=1, max_size=3), JSON_VALUES),
        min_size=1,
        max_size=3,
    )
)
def test_a_mutated_statement_is_stored_or_answered_400_never_500(
    learner_client, activity_page, quick_check_content, changes, settings
):
    settings.LEARNING_XAPI_RATE_LIMIT = 10**6
    data = statement(activity_page, quick_check_content, raw=1)
    for path, new in changes:
        data = _mutate(data, path, new)
    response = learner_client.post(
        "/learning/xapi/statements/", json.dumps(data), content_type="application/json"
    )
    assert response.status_code in (200, 400, 403, 409), response.content
    if response.status_code != 200:
        assert response.json()["error"]
