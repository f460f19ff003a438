"""Whole public pages and exports in the shared cache, for anonymous and signed-in visitors alike.

A page is rendered once per site generation, language and kind of visitor ("anon" or "user": the header says
"Sign in" or "My conference") and kept with markers where a visitor's own parts go: the CSRF token of each
form and the state of each star. Every request, the first included, gets the stored parts joined with its own
token and starred sessions (one small query), so nobody's token or stars reach another visitor. Requests that
must be rendered fresh: pending messages (they show on the page), organisers (the Wagtail user bar links to
the admin), previews, unknown query parameters. Exports are the same for everybody and are kept once.

Stored bodies are plain bytes split at the markers (`literals`, `slots`); an entry without markers has one literal,
and its Brotli and gzip copies are made when it is stored and served as they are (conference.precompressed)."""

import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from conference import compression, precompressed

from . import agenda
from .cache import (
    CACHE_TIMEOUT,
    SITE_GENERATION_KEY,
    build_response,
    current_generation,
    etag_for,
    generation_from,
    is_stored_query,
)
from .cache import response_key as url_key

# Every programme change bumps the site's generation too (programme.cache.invalidate_programme): one key to read.
PAGE_GENERATION_KEYS = [SITE_GENERATION_KEY]

# Markers cannot come from content: NUL is not allowed in PostgreSQL text and never produced by our templates.
CSRF_MARKER = "\x00csrf\x00"
MARKERS = re.compile(rb"\x00(csrf|star):?(\d*)\x00")
CSRF_SLOT = -1  # star slots are session ids
ADMIN_ACCESS_SESSION_KEY = "_page_cache_admin_access"
MESSAGES_SESSION_KEY = "_messages"  # django.contrib.messages' session storage

ANONYMOUS, SIGNED_IN, EVERYONE = "anon", "user", "all"
# Set on a request object by the warm-up (programme.warming), which no client can do: the kind of visitor whose
# stored copy the request renders and keeps.
WARM_UP_ATTRIBUTE = "page_cache_warm_up"


class AnySignedInVisitor(AnonymousUser):
    """Whom the warm-up renders the copy kept for every signed-in visitor for: signed in, without admin access and
    nobody in particular (no id, name, email, groups or stars). The template shows a signed-in visitor's header
    and star markers, exactly as for a real one, and nothing of anybody's own; no user row is needed."""

    email = ""

    @property
    def is_anonymous(self):
        return False

    @property
    def is_authenticated(self):
        return True

    def get_full_name(self):
        return ""


def star_marker(session_id):
    """Where the state of one session's star (signed-in visitors) goes in a stored page."""
    return mark_safe(f"\x00star:{int(session_id)}\x00")  # noqa: S308 - digits only


def is_rendering_shared(request):
    """Whether the page being rendered is kept for other visitors: personal parts must be markers."""
    return getattr(request, "page_cache_variant", None) in (ANONYMOUS, SIGNED_IN)


def has_admin_access(request):
    """Whether the signed-in user may use the Wagtail admin (the user bar is then on every page). Kept in the
    session: asking the permission tables costs two queries, and a stale answer only means a page is rendered
    fresh or without the user bar."""
    if ADMIN_ACCESS_SESSION_KEY not in request.session:
        remember_admin_access(request, request.user)
    return request.session[ADMIN_ACCESS_SESSION_KEY]


def remember_admin_access(request, user, **kwargs):
    """On sign-in (user_logged_in), so that the first page after it needs no extra queries or session write."""
    request.session[ADMIN_ACCESS_SESSION_KEY] = user.has_perm("wagtailadmin.access_admin")


def visitor_variant(request):
    """Which stored copy of a page this request may get ("anon" or "user"), or None to render it fresh."""
    if request.method not in ("GET", "HEAD") or "messages" in request.COOKIES:
        return None
    warm_up = getattr(request, WARM_UP_ATTRIBUTE, None)
    if warm_up is not None:
        return warm_up
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ANONYMOUS
    if request.session.get(MESSAGES_SESSION_KEY):
        return None
    if not request.user.is_authenticated:
        return ANONYMOUS
    return None if has_admin_access(request) else SIGNED_IN


def cache_key(request, variant):
    key = url_key(request)
    return None if key is None else f"{key}:{variant}"


def cached_response(request, *, everyone=False):
    """The stored answer to this request, personalised, or None (then the caller renders, and finish_response
    keeps the result). `everyone`: the route's answers are the same for every visitor (exports)."""
    request.page_cache = None
    variant = visitor_variant(request) if not everyone else EVERYONE if request.method in ("GET", "HEAD") else None
    key = cache_key(request, variant) if variant else None
    if key is None:
        return None
    found = cache.get_many([key, *PAGE_GENERATION_KEYS])
    if all(name in found for name in PAGE_GENERATION_KEYS):
        generation = generation_from(found[name] for name in PAGE_GENERATION_KEYS)
    else:
        generation = current_generation(PAGE_GENERATION_KEYS)
    entry = found.get(key)
    if entry is not None and entry["generation"] == generation:
        return respond(request, entry, variant)
    # Read before rendering: a change published while we render must not be stored under its newer generation.
    request.page_cache = (variant, key, generation)
    request.page_cache_variant = variant
    if variant == SIGNED_IN and getattr(request, WARM_UP_ATTRIBUTE, None) == SIGNED_IN:
        # Only now, for the render: a stored copy found above is filled in for the request's real (anonymous) user.
        request.user = AnySignedInVisitor()
    return None


def page_generation(request):
    """The stored pages' generation for this request, read once: for fragments kept across pages (the footer). A
    page being rendered for the store uses the generation it will be stored under."""
    state = getattr(request, "page_cache", None)
    if state is not None:
        return state[2]
    if not hasattr(request, "_page_generation"):
        request._page_generation = current_generation(PAGE_GENERATION_KEYS)
    return request._page_generation


def finish_response(request, response):
    """After rendering a missed page: keep it if its view marked it shareable (`response.shared_cache`), and
    answer with the visitor's own token and stars filled in."""
    state = getattr(request, "page_cache", None)
    if state is None:
        return response
    variant, key, generation = state
    try:
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    finally:
        # Anything rendered later (an error page) gets real tokens.
        request.page_cache_variant = None
    options = getattr(response, "shared_cache", None)
    if (
        options is not None
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request, "is_preview", False)
        and not is_restricted(getattr(request, "served_page", None))
        and not getattr(request, "page_cache_personal", False)
        and is_stored_query(request, options.get("query", ()))
        and not (variant == SIGNED_IN and shows_who(request.user, response.content))
    ):
        entry = make_entry(response, options, generation)
        setattr(response, compression.HOLDS_NO_REFLECTED_INPUT, True)  # rendered for its canonical query
        # Compressed once here, not on every hit: only a body without markers is the same for everyone.
        entry["encoded"] = precompressed.encoded_copies(
            request, response, None if entry["slots"] else entry["literals"][0]
        )
        cache.set(key, entry, options.get("timeout", CACHE_TIMEOUT))
        return respond(request, entry, variant)
    if not response.streaming and response.get("Content-Type", "").startswith("text/") and b"\x00" in response.content:
        # Not kept (a form, an error): still this visitor's own page.
        entry = make_entry(response, {}, None)
        response.content, _personal = fill(entry["literals"], entry["slots"], request)
    return response


def keep_personal(request):
    """Never keep the page this request renders: a part of it depends on the visitor or changes with every
    visitor's action (a workshop's places left and sign-up form), which no marker fills in."""
    if request is not None:
        request.page_cache_personal = True


def is_restricted(page):
    """Whether `page` (set by the before_serve_page hook) or an ancestor needs a password, a sign-in or a group:
    who passed the check must not pass it on to everybody else through the cache."""
    return page is not None and page.get_view_restrictions().exists()


def shows_who(user, body):
    """Whether a page rendered for `user` shows their email or name: then it is not theirs to share. A safety net
    for templates that print the visitor (e.g. "Signed in as …") without a marker."""
    values = (user.email, user.get_full_name())
    return any(
        value.encode() in body or escape(value).encode() in body
        for value in (value.strip() for value in values if value)
        if len(value) >= MIN_IDENTIFYING_LENGTH
    )


MIN_IDENTIFYING_LENGTH = 3


def make_entry(response, options, generation):
    """What is stored: the body's literal parts and, between them, what goes there (CSRF_SLOT or a star's
    session id), so that filling in is a lookup per marker."""
    body = response.content
    split = MARKERS.split(body)
    slots = [
        CSRF_SLOT if kind == b"csrf" else int(number) for kind, number in zip(split[1::3], split[2::3], strict=True)
    ]
    return {
        "generation": generation,
        "literals": split[::3],
        "slots": slots,
        "content_type": response["Content-Type"],
        "etag": response.get("ETag") or etag_for(body),
        "last_modified": options.get("last_modified"),
        "cors": options.get("cors", False),
        "cache_control": options.get("cache_control"),
    }


def star_states():
    """The markup of a star's state, off and on, in the current language (rendered once per process)."""
    language = get_language()
    states = _STAR_STATES.get(language)
    if states is None:
        states = _STAR_STATES[language] = tuple(
            render_to_string("programme/includes/star_state.html", {"starred": starred}).strip().encode()
            for starred in (False, True)
        )
    return states


_STAR_STATES = {}


def fill(literals, slots, request):
    """The stored parts joined with this request's CSRF token and star states; and whether anything of the
    visitor's own went in."""
    if not slots:
        return literals[0], False
    values = {}
    star_ids = [slot for slot in slots if slot != CSRF_SLOT]
    if star_ids:
        off, on = star_states()
        values = dict.fromkeys(star_ids, off)
        for session_id in agenda.starred_session_ids(getattr(request, "user", None)) & values.keys():
            values[session_id] = on
    if CSRF_SLOT in slots:
        values[CSRF_SLOT] = get_token(request).encode()
    out = [b""] * (len(literals) + len(slots))
    out[::2] = literals
    out[1::2] = map(values.__getitem__, slots)
    return b"".join(out), True


def respond(request, entry, variant):
    """The response for a stored entry: shared validators and lifetime for everybody's copy, private and
    unvalidated when the visitor's own token or stars are in it."""
    body, personal = fill(entry["literals"], entry["slots"], request)
    # Filled in per request: compressed, if at all, by the middleware.
    copies = {} if personal else entry.get("encoded", {})
    body, encoding, etag = precompressed.pick(request, copies, body, entry["etag"])
    if not personal and variant != SIGNED_IN:
        response = build_response(
            request,
            body=body,
            content_type=entry["content_type"],
            etag=etag,
            last_modified=entry["last_modified"],
            cors=entry["cors"],
        )
        if entry.get("cache_control") and response.status_code == 200:
            response["Cache-Control"] = entry["cache_control"]
        setattr(response, compression.HOLDS_NO_REFLECTED_INPUT, True)
        return precompressed.label(response, encoding, copies)
    response = HttpResponse(body, content_type=entry["content_type"])
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie"])
    # The stored parts hold no input of this request's choosing: the middleware may compress the filled page.
    setattr(response, compression.HOLDS_NO_REFLECTED_INPUT, True)
    return precompressed.label(response, encoding, copies)
