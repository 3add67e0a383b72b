"""The interface speaks the six UN languages: every catalogue is complete, and nothing in the
code is missing from the catalogues.

English is the source language; fr, es, ar, zh_Hans and ru must translate every msgid, with
no fuzzy entry, every plural form filled and the same placeholders as the msgid.
`make messages` regenerates the catalogues; the second test runs the same extraction on a
copy of the sources and fails on any msgid the committed catalogues do not have yet."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["fr", "es", "ar", "zh_Hans", "ru"]
PLURALS = {"fr": 2, "es": 2, "ar": 6, "zh_Hans": 1, "ru": 4}
# Each catalogue: the folder makemessages runs in, and where its locale folder is.
CATALOGUES = {
    "learning": ROOT / "learning",
    "courses": ROOT / "courses",
    "webinars": ROOT / "webinars",
    "site": ROOT / "templates",
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")


def _po_files():
    for name, folder in CATALOGUES.items():
        for language in LANGUAGES:
            for po in sorted((folder / "locale" / language / "LC_MESSAGES").glob("*.po")):
                yield pytest.param(po, language, id=f"{name}-{language}-{po.stem}")


def _placeholders(text):
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


@pytest.mark.parametrize(("po_path", "language"), list(_po_files()))
def test_catalogue_is_complete(po_path, language):
    catalogue = polib.pofile(str(po_path))
    assert f"nplurals={PLURALS[language]};" in catalogue.metadata.get("Plural-Forms", "")
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            problems.append(f"obsolete: {entry.msgid!r}")
        elif "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(PLURALS[language])]
            if not all(forms):
                problems.append(f"plural forms missing: {entry.msgid!r}")
            elif "python-format" in entry.flags and any(
                set(_placeholders(f)) - set(_placeholders(entry.msgid_plural)) for f in forms
            ):
                problems.append(f"placeholders differ: {entry.msgid!r}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {entry.msgid!r}")
        elif "python-format" in entry.flags and _placeholders(entry.msgstr) != _placeholders(
            entry.msgid
        ):
            problems.append(f"placeholders differ: {entry.msgid!r}")
    assert not problems, f"{po_path.relative_to(ROOT)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_exists(language):
    for name, folder in CATALOGUES.items():
        po = folder / "locale" / language / "LC_MESSAGES" / "django.po"
        assert po.exists(), f"{name} has no {language} catalogue: run `make messages`"


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="reads only sources and catalogues: run once per CI run, in the SQLite pass",
)
def test_catalogues_hold_every_msgid_in_the_code(tmp_path):
    """`make messages` would add nothing: the same extraction on a copy of the sources finds
    no msgid missing from the committed catalogues."""
    copy = tmp_path / "src"
    ignore = shutil.ignore_patterns("*.mo", "__pycache__", "node_modules", ".venv", "var")
    for folder in CATALOGUES.values():
        shutil.copytree(folder, copy / folder.name, ignore=ignore)
    subprocess.run(  # noqa: S603 (fixed arguments)
        [
            shutil.which("make") or "make",
            "--no-print-directory",
            "-C",
            str(ROOT),
            "messages-only",
            f"SRC={copy}",
            f"PY={sys.executable}",
            "LANGS=fr",
        ],
        check=True,
        capture_output=True,
    )
    missing = []
    for name, folder in CATALOGUES.items():
        for fresh in sorted((copy / folder.name / "locale" / "fr" / "LC_MESSAGES").glob("*.po")):
            committed = folder / "locale" / "fr" / "LC_MESSAGES" / fresh.name
            known = (
                {(e.msgctxt, e.msgid) for e in polib.pofile(str(committed))}
                if committed.exists()
                else set()
            )
            missing += [
                f"{name}/{fresh.name}: {e.msgid!r}"
                for e in polib.pofile(str(fresh))
                if not e.obsolete and (e.msgctxt, e.msgid) not in known
            ]
    assert not missing, "Not in the catalogues (run `make messages` and translate):\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_every_language_translates_the_same_msgids(name):
    folder = CATALOGUES[name]
    msgids = {
        language: {(e.msgctxt, e.msgid) for e in polib.pofile(str(po))}
        for language in LANGUAGES
        for po in [folder / "locale" / language / "LC_MESSAGES" / "django.po"]
    }
    for language in LANGUAGES[1:]:
        assert msgids[language] == msgids[LANGUAGES[0]], f"{name}: {language} differs from fr"
