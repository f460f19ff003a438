"""The build identity (conference/build_identity.py) comes from the content of the deployed tree, not file times:
the same tree in two folders has one identity, and a translation, a template or a code change in any app gives
another, after which a page stored by the previous build is not served (issue 22, point 4)."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from conference.build_identity import build_id, source_files, tree_identity
from programme.models import SessionPage

pytestmark = pytest.mark.django_db

SESSION_ICS = "/vilnius-2017/programme/chemsex/session.ics"
# One change per kind a deploy brings: a translation, a template of an app, the code of an app.
CHANGES = {
    "translation": "locale/ru/LC_MESSAGES/django.mo",
    "conference template": "templates/conference/conference_page.html",
    "home template": "templates/home/home_page.html",
    "registration template": "templates/registration/confirm_code.html",
    "conference code": "conference/models.py",
    "home code": "home/models.py",
    "registration code": "registration/views.py",
    "programme code": "programme/exporters/ical.py",
    "static file": "static/css/site.css",
}


def copy_tree(target):
    """What a deploy puts on an app server: the project's source files, in a folder of its own."""
    root = Path(django_settings.BASE_DIR)
    for relative in source_files(root):
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / relative, target / relative)
    return target


def change(root, relative):
    """A real change of the file's content: a translated word spelt otherwise in the .mo (same length, so the
    catalogue stays valid), a comment in a template or module, a rule in a stylesheet."""
    path = root / relative
    if path.suffix == ".mo":
        data = path.read_bytes()
        word = "Программа".encode()
        assert word in data
        path.write_bytes(data.replace(word, "ПРОГРАММА".encode(), 1))
    elif path.suffix == ".html":
        path.write_text(path.read_text() + "{# changed by the deploy #}\n")
    elif path.suffix == ".css":
        path.write_text(path.read_text() + "\n.changed-by-the-deploy {}\n")
    else:
        path.write_text(path.read_text() + "\n# changed by the deploy\n")


def test_the_changed_files_are_part_of_the_tree():
    root = Path(django_settings.BASE_DIR)
    assert set(CHANGES.values()) <= {relative.as_posix() for relative in source_files(root)}


def test_the_same_tree_in_two_folders_has_one_identity(tmp_path):
    first = copy_tree(tmp_path / "server-a")
    second = copy_tree(tmp_path / "server-b")
    for path in second.rglob("*"):  # another checkout: other file times
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert tree_identity(first) == tree_identity(second) == tree_identity(Path(django_settings.BASE_DIR))


@pytest.mark.parametrize("relative", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_in_the_tree_gives_a_new_identity(tmp_path, relative):
    before = copy_tree(tmp_path / "before")
    after = copy_tree(tmp_path / "after")
    change(after, relative)
    assert tree_identity(before) != tree_identity(after)


def test_file_times_alone_keep_the_identity(tmp_path):
    first = copy_tree(tmp_path / "first")
    identity = tree_identity(first)
    tree_identity.cache_clear()
    os.utime(first / CHANGES["translation"], (2_000_000_000, 2_000_000_000))
    assert tree_identity(first) == identity


def test_a_version_the_deploy_supplies_wins(settings):
    settings.BUILD_ID = "2026.12.07-a"
    assert build_id() == "2026-12-07-a"  # no dots: generations are dot-separated tokens


def rename_session_behind_the_cache():
    """A title changed without the signals that retire stored pages: only a fresh render shows it."""
    SessionPage.objects.filter(slug="chemsex").update(title="Renamed behind the cache")


@pytest.mark.parametrize("relative", CHANGES.values(), ids=CHANGES.keys())
def test_a_page_stored_before_a_deploy_is_not_served_after_it(client, conference, settings, tmp_path, relative):
    settings.BUILD_ID = ""
    settings.BASE_DIR = copy_tree(tmp_path / "old")
    first = client.get(SESSION_ICS).content.decode()
    rename_session_behind_the_cache()
    assert "Renamed behind the cache" not in first
    assert client.get(SESSION_ICS).content.decode() == first  # stored

    # A second app server of the same deploy, from another checkout: it serves what the first stored.
    settings.BASE_DIR = copy_tree(tmp_path / "same")
    assert client.get(SESSION_ICS).content.decode() == first

    new = copy_tree(tmp_path / "new")
    change(new, relative)
    settings.BASE_DIR = new
    assert "Renamed behind the cache" in client.get(SESSION_ICS).content.decode()


def test_a_supplied_version_retires_stored_pages_when_it_changes(client, conference, settings):
    settings.BUILD_ID = "release-41"
    first = client.get("/vilnius-2017/programme/").content.decode()
    SessionPage.objects.filter(slug="chemsex").update(title="Renamed behind the cache")
    assert client.get("/vilnius-2017/programme/").content.decode() == first
    settings.BUILD_ID = "release-42"
    assert "Renamed behind the cache" in client.get("/vilnius-2017/programme/").content.decode()
