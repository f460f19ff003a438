"""Compression of text answers (HTML, JSON, XML, calendars) for clients that accept zstd, Brotli or gzip.

BREACH (a secret in a compressed HTTPS body next to input an attacker chooses, its length observed) decides
what is left uncompressed:
- Django's CSRF token is masked afresh in every response, so it cannot be recovered that way; the pages we
  compress carry no other secret than that.
- The areas that show personal data or one-time secrets (`/my/` with badge codes and the private agenda
  link, `/accounts/` with its keys and reflected emails, the admin, the door scanner, letter verification)
  are never compressed, in English or under `/ru/`.
- Only answers to GET and HEAD are compressed: a POST answer re-renders the form with what was typed.
Static files are not touched here: WhiteNoise, above this middleware, serves its own precompressed copies.
"""

import re

from compression_middleware.middleware import CompressionMiddleware

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


def is_compressible(request, response):
    if request.method not in ("GET", "HEAD") or UNCOMPRESSED_PATHS.match(request.path_info):
        return False
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return content_type in COMPRESSIBLE_TYPES


class TextCompressionMiddleware(CompressionMiddleware):
    """django-compression-middleware (zstd, then br, then gzip), limited to the text answers above."""

    def process_response(self, request, response):
        if not is_compressible(request, response):
            return response
        return super().process_response(request, response)
