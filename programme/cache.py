"""What the programme keeps in the shared cache: the generation every cached item was built from, the keys it is
kept under, and whole responses of programme pages and exports for anonymous GETs.

A change bumps the generation and so retires every cached programme, export and page at once, in every process
that shares the cache; a stored response is served again without touching the database while it is current."""

import hashlib
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, urlencode
from django.utils.translation import get_language

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


# --- Keys ------------------------------------------------------------------------------------------------------


def schedule_key(conference_id, language, generation):
    """The gathered programme of a conference in one language (programme.gathering)."""
    return f"programme:schedule:{conference_id}:{language}:{generation}"


def export_key(conference_id, language, identifier, filters, generation):
    """A rendered export (ics, xml, json) of a conference's programme with `filters` (a ScheduleFilters)."""
    return f"programme:export:{conference_id}:{language}:{identifier}:{urlencode(filters.as_query())}:{generation}"


def session_calendar_key(session_id, language, generation):
    """The session.ics of one session."""
    return f"programme:session-ics:{session_id}:{language}:{generation}"


# --- Whole responses -----------------------------------------------------------------------------------------

ALLOWED_QUERY_NAMES = {"day", "track", "room", "kind", "language"}
CORS_HEADER = ("Access-Control-Allow-Origin", "*")


def is_anonymous_request(request):
    """No session or message cookie: the response is the same for everybody who sends such a request."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def response_key(request):
    query = sorted(request.GET.lists())
    if any(name not in ALLOWED_QUERY_NAMES or len(values) != 1 for name, values in query):
        return None
    normalised = "&".join(f"{name}={values[0]}" for name, values in query)
    digest = hashlib.sha256(f"{get_language()}|{request.path}?{normalised}".encode()).hexdigest()
    return f"programme:response:{digest}"


def etag_for(body):
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def build_response(request, *, body, content_type, etag, last_modified, cors, status=200):
    """The response for `body`, or 304 when the request's validators match."""
    response = HttpResponse(body, content_type=content_type, status=status)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    if cors:
        response[CORS_HEADER[0]] = CORS_HEADER[1]
    # Calendars and apps come back for changes; a short shared lifetime keeps them fresh without hammering.
    response["Cache-Control"] = "public, max-age=60" if cors else "no-cache"
    if not cors:
        # Pages differ for signed-in visitors, who never get this cached copy.
        patch_vary_headers(response, ["Cookie"])
    conditional = get_conditional_response(
        request, etag=etag, last_modified=last_modified.timestamp() if last_modified else None, response=response
    )
    if cors and conditional is not response:
        # A 304 must carry the CORS header too, or a browser app's revalidation fails.
        conditional[CORS_HEADER[0]] = CORS_HEADER[1]
    return conditional


def cached_response(request):
    """The stored response for this request when it is anonymous and still current, else None."""
    if not is_anonymous_request(request):
        return None
    key = response_key(request)
    if key is None:
        return None
    entry = cache.get(key)
    if entry is None:
        return None
    generations = cache.get_many(entry["generation_keys"])
    if generation_from(generations.get(name) for name in entry["generation_keys"]) != entry["generation"]:
        return None
    return build_response(
        request,
        body=entry["body"],
        content_type=entry["content_type"],
        etag=entry["etag"],
        last_modified=entry["last_modified"],
        cors=entry["cors"],
    )


def store_response(request, response, *, conference_id, generation, last_modified=None, cors=False):
    """Keep a 200 response of an anonymous GET for the next anonymous request of the same URL."""
    if response.status_code != 200 or not is_anonymous_request(request) or response.cookies:
        return
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "is_preview", False):
        return
    key = response_key(request)
    if key is None:
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    body = response.content
    cache.set(
        key,
        {
            "generation_keys": generation_key_names(conference_id),
            # The generation the body was built from: if the programme changed meanwhile, this entry is stale.
            "generation": generation,
            "body": body,
            "content_type": response["Content-Type"],
            "etag": response.get("ETag") or etag_for(body),
            "last_modified": last_modified,
            "cors": cors,
        },
        CACHE_TIMEOUT,
    )
