"""Compression of text answers (HTML, JSON, XML, calendars) for clients that accept zstd, Brotli or gzip.

BREACH (a secret in a compressed HTTPS body next to input an attacker chooses, its length observed) decides
what is left uncompressed:
- The areas that show personal data or one-time secrets (`/my/` with badge codes and the private agenda
  link, `/accounts/` with its keys and reflected emails, the admin, the door scanner, letter verification)
  are never compressed, in English or under `/ru/`.
- Only answers to GET and HEAD are compressed: a POST answer re-renders the form with what was typed.
- A page rendered for a signed-in visitor (their stars, their email in the registration form, the query in
  each star form's `next`) or holding a CSRF token is not compressed: the secret and what an attacker puts in
  the URL would share one compression context.
- Except a stored page (programme.page_cache) filled in with the visitor's token and stars: its stored parts
  were rendered for the page's one canonical query (programme.cache.is_stored_query), so nothing of the
  request's own choosing is beside the secret, and the secret is apart from any input. Django masks the
  CSRF token afresh in every response besides.
Static files are not touched here: WhiteNoise, above this middleware, serves its own precompressed copies.
"""

import re

from compression_middleware.middleware import CompressionMiddleware
from django.conf import settings

COMPRESSIBLE_TYPES = {
    "text/html",
    "text/plain",
    "text/calendar",
    "text/xml",
    "text/css",
    "text/javascript",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/javascript",
    "application/manifest+json",
}
UNCOMPRESSED_PATHS = re.compile(r"^/(?:[a-z]{2}/)?(?:my|accounts|admin|checkin|verify)/")


CSRF_FIELD = b'name="csrfmiddlewaretoken"'
# Set on a response by programme.page_cache: its body is a stored page's parts (no input of the request's
# choosing) with, at most, the visitor's CSRF token and star states filled in.
HOLDS_NO_REFLECTED_INPUT = "holds_no_reflected_input"


def is_compressible(request, response):
    if request.method not in ("GET", "HEAD") or UNCOMPRESSED_PATHS.match(request.path_info):
        return False
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type not in COMPRESSIBLE_TYPES:
        return False
    return getattr(response, HOLDS_NO_REFLECTED_INPUT, False) or not holds_secrets(request, response)


def holds_secrets(request, response):
    """Whether the answer may hold a secret next to input: rendered for a signed-in visitor, or with a CSRF token."""
    # Without a session cookie nobody is signed in, and the lazy user is not looked up for nothing.
    signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES and getattr(request, "user", None)
    if signed_in and signed_in.is_authenticated:
        return True
    return not response.streaming and CSRF_FIELD in response.content


class TextCompressionMiddleware(CompressionMiddleware):
    """django-compression-middleware (zstd, then br, then gzip), limited to the text answers above."""

    def process_response(self, request, response):
        if not is_compressible(request, response):
            return response
        return super().process_response(request, response)
