"""Packages of the project's own H5P content type, H5P.CBQuickCheck 1.0.

The library's files live in ``package_data/H5P.CBQuickCheck/``. ``build_package`` zips
them with a content in memory; its overrides let tests craft valid packages and
deliberately broken ones. ``ensure_demo_content`` is what demo-data builders call.
"""

import io
import json
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils.text import slugify

LIBRARY_NAME = "H5P.CBQuickCheck"
LIBRARY_DIR = Path(__file__).resolve().parent / "package_data" / LIBRARY_NAME
DEFAULT_QUESTION = "Which of these is a Rio convention?"
DEFAULT_ANSWERS = (
    "The Convention on Biological Diversity",
    "The Geneva Convention",
    "The Berne Convention",
)


def _merge(base, overrides):
    """Shallow merge where a value of None removes the key (to craft invalid files)."""
    merged = dict(base)
    for key, value in (overrides or {}).items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _json(data):
    return json.dumps(data, indent=2, ensure_ascii=False).encode()


def library_json(version="1.0.0", **overrides):
    major, minor, patch = (int(part) for part in version.split("."))
    data = json.loads((LIBRARY_DIR / "library.json").read_text())
    data.update(majorVersion=major, minorVersion=minor, patchVersion=patch)
    return _merge(data, overrides)


def content_json(question=DEFAULT_QUESTION, answers=DEFAULT_ANSWERS, correct=0):
    return {
        "question": question,
        "answers": [
            {"text": text, "correct": index == correct} for index, text in enumerate(answers)
        ],
    }


def package_files(
    *,
    title="Quick check",
    question=DEFAULT_QUESTION,
    answers=DEFAULT_ANSWERS,
    correct=0,
    library_version="1.0.0",
    h5p_json=None,
    library_json_overrides=None,
    content=None,
):
    """The files of a valid package as ``{path: bytes}``, before any extra or omission."""
    library = library_json(library_version, **(library_json_overrides or {}))
    folder = f"{LIBRARY_NAME}-{library.get('majorVersion')}.{library.get('minorVersion')}"
    dependency = {
        "machineName": LIBRARY_NAME,
        # Real packages write versions as strings; the validator must accept both.
        "majorVersion": str(library.get("majorVersion")),
        "minorVersion": str(library.get("minorVersion")),
    }
    manifest = _merge(
        {
            "title": title,
            "language": "en",
            "mainLibrary": LIBRARY_NAME,
            "embedTypes": ["iframe"],
            "license": "U",
            "preloadedDependencies": [dependency],
        },
        h5p_json,
    )
    files = {
        "h5p.json": _json(manifest),
        "content/content.json": _json(
            content if content is not None else content_json(question, answers, correct)
        ),
        f"{folder}/library.json": _json(library),
    }
    for path in sorted(LIBRARY_DIR.iterdir()):
        if path.name != "library.json":
            files[f"{folder}/{path.name}"] = path.read_bytes()
    return files


ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def zip_bytes(entries):
    """Zip ``entries`` in memory: a ``{name: bytes}`` mapping or a list of
    ``(name or ZipInfo, bytes)`` pairs (ZipInfo lets tests set flags and attributes)."""
    items = entries.items() if isinstance(entries, dict) else entries
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            if isinstance(data, str):
                data = data.encode()
            if isinstance(name, str):
                # A fixed time: the same files always zip to the same bytes (and SHA-256);
                # writestr would stamp the current time, to two seconds.
                name = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                name.compress_type = zipfile.ZIP_DEFLATED
                name.external_attr = 0o600 << 16  # as writestr gives a name
            archive.writestr(name, data)
    return buffer.getvalue()


def build_package(*, extra_files=None, omit=(), **overrides):
    """A ``.h5p`` of H5P.CBQuickCheck as bytes.

    ``overrides`` are those of ``package_files`` (title, question, answers, correct,
    library_version, h5p_json, library_json_overrides, content); ``extra_files`` adds or
    replaces ``{path: bytes}``; ``omit`` drops paths.
    """
    files = package_files(**overrides)
    files.update(extra_files or {})
    for path in omit:
        files.pop(path, None)
    return zip_bytes(files)


def ensure_demo_content(title, question, answers, correct):
    """The H5P content called ``title`` (a quick check), importing it on first use.

    Idempotent, for ``learning_demo_data`` builders; installs H5P.CBQuickCheck as the
    trusted command line would.
    """
    from learning.h5p.services import import_h5p
    from learning.models import H5PContent

    existing = H5PContent.objects.filter(title=title).first()
    if existing is not None:
        return existing
    package = build_package(title=title, question=question, answers=answers, correct=correct)
    upload = ContentFile(package, name=f"{slugify(title) or 'quick-check'}.h5p")
    return import_h5p(upload, user=None, title=title, allow_libraries=True).content
