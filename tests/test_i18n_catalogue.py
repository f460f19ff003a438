"""The Russian message catalogue is complete (nothing empty or fuzzy, nothing in the code missing from it), keeps
every placeholder, and its committed .mo matches the .po, so a machine without gettext shows Russian."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted((ROOT / "locale" / "ru" / "LC_MESSAGES").glob("*.po"))
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%|\{[a-z_]+\}")
MAKEMESSAGES_IGNORES = ["--ignore=.venv", "--ignore=var", "--ignore=static/vendor", "--ignore=tests/assets"]


def live_entries(path):
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def test_russian_catalogue_exists():
    assert [path.name for path in CATALOGUES][:1] == ["django.po"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_every_russian_message_is_translated_and_not_fuzzy(path):
    untranslated = [entry.msgid for entry in live_entries(path) if not entry.translated()]
    fuzzy = [entry.msgid for entry in live_entries(path) if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_russian_translations_keep_their_placeholders(path):
    broken = []
    for entry in live_entries(path):
        if entry.msgid_plural:
            allowed = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
            for form in entry.msgstr_plural.values():
                if not set(PLACEHOLDER.findall(form)) <= allowed:
                    broken.append((entry.msgid, form))
        elif sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
            broken.append((entry.msgid, entry.msgstr))
    assert broken == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_committed_mo_matches_the_po(path):
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run manage.py compilemessages"
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(mo_path))}
    source = {(entry.msgctxt, entry.msgid): entry for entry in live_entries(path) if entry.translated()}
    assert set(compiled) - {(None, "")} == set(source)
    stale = [
        key
        for key, entry in source.items()
        if (entry.msgstr_plural and dict(compiled[key].msgstr_plural) != dict(entry.msgstr_plural))
        or (not entry.msgstr_plural and compiled[key].msgstr != entry.msgstr)
    ]
    assert stale == []


def test_plural_forms_header_is_russian():
    header = polib.pofile(str(CATALOGUES[0])).metadata
    assert header["Language"] == "ru"
    assert header["Plural-Forms"].startswith("nplurals=4;")


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (apt-get install gettext)")
def test_every_string_in_the_code_is_in_the_russian_catalogue(tmp_path):
    """makemessages on a copy of the tree: nothing new appears untranslated, so a string added to a template or
    to Python without a translation fails here."""
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "assets", "vendor", "__pycache__"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ru", "--no-obsolete", *MAKEMESSAGES_IGNORES],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "conference.settings.test", "PYTHONPATH": str(copy)},
    )
    missing = [
        entry.msgid
        for path in sorted((copy / "locale" / "ru" / "LC_MESSAGES").glob("*.po"))
        for entry in live_entries(path)
        if not entry.translated() or "fuzzy" in entry.flags
    ]
    assert missing == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext (apt-get install gettext)")
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_msgfmt_accepts_the_russian_formats(path):
    """msgfmt --check-format catches what a placeholder comparison cannot, e.g. a Russian plural form used for
    21 items that lacks the count."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
