"""The programme's cache generations: every cached programme, export and page carries the generation it was built
from; a change bumps the generation and so retires them all at once, in every process that shares the cache."""

import hashlib
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

GLOBAL_GENERATION_KEY = "programme:generation:all"
CACHE_TIMEOUT = 60 * 60 * 24


def _generation_key(conference_id):
    return f"programme:generation:{conference_id}"


def _new_token():
    # The moment of the change, then randomness so that two processes never pick the same token.
    return f"{time.time_ns():x}{uuid.uuid4().hex[:6]}"


def generation_moment(generation):
    """When the latest change behind `generation` happened (from its tokens), or None if it cannot tell."""
    moments = []
    for token in generation.split(".")[1:]:
        try:
            moments.append(datetime.fromtimestamp(int(token[:-6], 16) / 1e9, tz=UTC).replace(microsecond=0))
        except (ValueError, OverflowError, OSError):
            continue
    return max(moments, default=None)


def _build_id():
    """What this deployment renders with: the static files' manifest and the templates and code of the programme.
    The same in every worker of one deployment; a new deployment retires pages cached by the previous one (they
    would link old CSS and show old templates)."""
    digest = hashlib.sha1()
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    package = Path(__file__).resolve().parent
    for folder, pattern in (
        (package, "*.py"),
        (package / "exporters", "*.py"),
        (Path(settings.BASE_DIR) / "templates", "**/*.html"),
    ):
        for path in sorted(folder.glob(pattern)):
            try:
                digest.update(f"{path.relative_to(folder)}:{path.stat().st_mtime_ns}".encode())
            except OSError:  # removed while we looked (an editor's temporary file): it does not count
                continue
    return digest.hexdigest()[:10]


BUILD_ID = _build_id()


def generation_from(values):
    """A generation string from the stored values of the generation keys (in generation_key_names order)."""
    return ".".join([BUILD_ID, *(str(value) for value in values)])


def schedule_generation(conference_id):
    """The current generation of a conference's programme: deployment, global part and conference part."""
    keys = generation_key_names(conference_id)
    values = cache.get_many(keys)
    for key in keys:
        if key not in values:
            cache.add(key, _new_token(), timeout=None)
            values[key] = cache.get(key)
    return generation_from(values[key] for key in keys)


def generation_key_names(conference_id):
    return [GLOBAL_GENERATION_KEY, _generation_key(conference_id)]


def invalidate_programme(conference_id=None):
    """Retire every cached programme, export and page of a conference (of all conferences without one)."""
    key = GLOBAL_GENERATION_KEY if conference_id is None else _generation_key(conference_id)
    cache.set(key, _new_token(), timeout=None)
