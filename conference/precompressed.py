"""Stored answers compressed once: the Brotli and gzip copies kept beside a stored body, and the pick among them
for each request, so that an answer served from the cache is not compressed again.

Same rules and headers as conference.compression (the middleware compresses everything else per request): only
what it would compress is encoded, a copy is kept only when it saves enough, the answer carries
`Content-Encoding`, `Content-Length`, `Vary: Accept-Encoding` and a weak ETag (so that a revalidation matches
whichever of the two answered), and the middleware leaves an answer that already has `Content-Encoding` alone.

zstd is not stored: Brotli 5 comes out smaller here (about 15 kB against 16 kB for the 600-session programme) and
every browser that offers zstd offers Brotli too, so between equal q-values Brotli wins and the pick depends on
the request's Accept-Encoding alone. A client that accepts zstd and neither of the others gets the plain stored
body, which the middleware compresses with zstd as before."""

import gzip

import brotli
from compression_middleware.middleware import MIN_IMPROVEMENT, MIN_LEN
from django.utils.cache import patch_vary_headers

from .compression import is_compressible

# Paid once per stored copy, so Brotli at a higher quality than the middleware's 4 (about a quarter smaller).
BROTLI_QUALITY = 5
GZIP_LEVEL = 6  # 9 saves 5 % for twice the time, on the first request after a publish
ENCODERS = {  # in order of preference between equal q-values
    "br": lambda body: brotli.compress(body, quality=BROTLI_QUALITY),
    "gzip": lambda body: gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0),
}
MAX_ACCEPT_ENCODING = 200  # as the middleware: a longer header is cut, not parsed


def encoded_copies(request, response, body):
    """The copies of `body` (what `response` to `request` will carry) worth keeping, by encoding; empty when the
    middleware would leave the answer uncompressed (see conference.compression) or when `body` is None."""
    if body is None or len(body) < MIN_LEN or not is_compressible(request, response):
        return {}
    copies = {name: encode(body) for name, encode in ENCODERS.items()}
    return {name: copy for name, copy in copies.items() if len(copy) < len(body) - MIN_IMPROVEMENT}


def accepted_encoding(accept_encoding, available):
    """Which of `available` (names, in ENCODERS order) the client rates highest in its Accept-Encoding, q-values
    honoured and `*` standing for any encoding it does not name; None when it accepts none of them."""
    ratings = {}
    for item in accept_encoding[:MAX_ACCEPT_ENCODING].split(","):
        name, *parameters = item.split(";")
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ratings[name.strip().lower()] = quality
    best, best_quality = None, 0.0
    for name in available:
        quality = ratings.get(name, ratings.get("*", 0.0))
        if quality > best_quality:
            best, best_quality = name, quality
    return best


def pick(request, copies, body, etag):
    """The body, encoding (None for the plain body) and ETag to answer `request` with, from the stored copies."""
    encoding = accepted_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""), copies) if copies else None
    if encoding is None:
        return body, None, etag
    # Weak, as the middleware makes it: the same resource in another encoding.
    return copies[encoding], encoding, f"W/{etag}" if etag.startswith('"') else etag


def label(response, encoding, copies):
    """Headers of an answer (200 or 304) built from `pick`: the encoding and length of what was sent, and that
    the answer depends on Accept-Encoding whenever encoded copies exist."""
    if copies:
        patch_vary_headers(response, ["Accept-Encoding"])
    if encoding is not None and response.status_code == 200:
        response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(response.content))
    return response
