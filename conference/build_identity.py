"""What this deployment renders with, as one short string: the build identity that every generation of cached
programmes, exports and stored pages starts with (programme.cache.generation_from), so a deploy that changes
anything a page is made from retires every page the previous deploy cached.

It is the deploy's own version when settings.BUILD_ID (the BUILD_ID environment variable) is set. Otherwise it is a
content hash, never file times: the bytes and relative paths of every file in the project's apps (code,
templates, static files, translations, management commands), of templates/, static/ and locale/ at the top of the
tree, and the name and version of every installed distribution (a Wagtail or Django upgrade changes what pages
say too). Two app servers with the same code and packages compute the same identity wherever their checkout
lies; a change to one .mo, one template or one .py of any app gives a new one. Tests, caches of bytecode and
anything outside those folders (var/, docs/, bench/) are not part of it: they do not change a rendered page.

Computed once per process and tree, on first use rather than on import (conference/wsgi.py does it in the
gunicorn master before it forks its workers)."""

import functools
import hashlib
import os
import re
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings

# Top-level folders of the tree that pages are made from besides the apps' own packages.
SHARED_FOLDERS = ("templates", "static", "locale")
# Inside those folders, what never reaches a page.
SKIPPED_FOLDERS = {"__pycache__", "tests", "node_modules"}
SKIPPED_SUFFIXES = {".pyc", ".pyo"}
LENGTH = 16


def build_id():
    """This process's build identity: settings.BUILD_ID when the deploy supplies one, else tree_identity()."""
    supplied = settings.BUILD_ID.strip()
    # Generations are dot-separated tokens (programme.cache.generation_moment reads them): a "v1.2" keeps one part.
    return re.sub(r"[^A-Za-z0-9_-]", "-", supplied) if supplied else tree_identity(Path(settings.BASE_DIR))


@functools.cache
def tree_identity(root):
    """The content hash of the project tree at `root` (see the module docstring); the same for equal trees."""
    digest = hashlib.sha256()
    for relative in source_files(root):
        digest.update(relative.as_posix().encode() + b"\0")
        try:
            digest.update(hashlib.sha256((root / relative).read_bytes()).digest())
        except OSError:  # removed while we read (an editor's temporary file): it does not count
            continue
    for name, version in installed_distributions():
        digest.update(f"{name}=={version}\n".encode())
    return digest.hexdigest()[:LENGTH]


def source_folders():
    """The folders, relative to the project, that pages are made from: each app of the project and SHARED_FOLDERS."""
    project = Path(__file__).resolve().parent.parent
    folders = set(SHARED_FOLDERS)
    for app_config in apps.get_app_configs():
        path = Path(app_config.path).resolve()
        if path.is_relative_to(project):
            folders.add(path.relative_to(project).as_posix())
    return sorted(folders)


def source_files(root):
    """The files under `root` that the identity hashes, as sorted relative paths."""
    found = []
    for folder in source_folders():
        for directory, subdirectories, files in os.walk(root / folder):
            subdirectories[:] = [name for name in subdirectories if name not in SKIPPED_FOLDERS]
            found += [
                (Path(directory) / name).relative_to(root)
                for name in files
                if Path(name).suffix not in SKIPPED_SUFFIXES and not name.startswith(".")
            ]
    return sorted(found)


def installed_distributions():
    return sorted({(dist.metadata["Name"] or "").lower(): dist.version for dist in metadata.distributions()}.items())
