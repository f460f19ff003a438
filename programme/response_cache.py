"""Whole responses of programme pages and exports, kept in the shared cache for anonymous GETs and served
again without touching the database while the programme's generation is unchanged."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from .cache import CACHE_TIMEOUT, generation_from, generation_key_names

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
