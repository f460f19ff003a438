"""What the site keeps in the shared cache: the generations every cached item was built from, the keys it is
kept under, and whole public pages and exports, stored once and personalised per request.

A change bumps a generation and so retires every cached programme, export and page at once, in every process
that shares the cache; a stored response is served again without rendering while it is current. Stored pages
hold markers where a visitor's own parts go (CSRF token, the state of each star), which are filled in for each
request from a per-request token and one small query of the visitor's starred sessions."""

import hashlib
import time
import uuid
from datetime import UTC, datetime

from django.core.cache import cache
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, urlencode
from django.utils.translation import get_language

from conference.build_identity import build_id

GLOBAL_GENERATION_KEY = "programme:generation:all"
# Every public page shows the site's navigation, the conference list or a conference's content: any page or
# snippet change anywhere retires all stored pages (exports keep their per-conference generation).
SITE_GENERATION_KEY = "programme:generation:site"
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


def generation_from(values):
    """A generation string from the stored values of the generation keys (in generation_key_names order)."""
    return ".".join([build_id(), *(str(value) for value in values)])


def schedule_generation(conference_id):
    """The current generation of a conference's programme: deployment, global part and conference part."""
    return current_generation(generation_key_names(conference_id))


def generation_key_names(conference_id):
    return [GLOBAL_GENERATION_KEY, _generation_key(conference_id)]


def schedule_generations(conference_ids):
    """{conference pk: its schedule_generation} for several conferences in one read of the cache."""
    found = cache.get_many([GLOBAL_GENERATION_KEY, *(_generation_key(pk) for pk in conference_ids)])
    return {
        pk: generation_from([found[GLOBAL_GENERATION_KEY], found[_generation_key(pk)]])
        if GLOBAL_GENERATION_KEY in found and _generation_key(pk) in found
        else schedule_generation(pk)
        for pk in conference_ids
    }


def invalidate_programme(conference_id=None):
    """Retire every cached programme, export and page of a conference (of all conferences without one), and
    every stored page of the site (they show the conference in menus, lists and links)."""
    key = GLOBAL_GENERATION_KEY if conference_id is None else _generation_key(conference_id)
    cache.set_many({key: _new_token(), SITE_GENERATION_KEY: _new_token()}, timeout=None)
    warm_after_commit()


def invalidate_site():
    """Retire every stored page (not the gathered programmes or exports): a page, menu or snippet changed."""
    cache.set(SITE_GENERATION_KEY, _new_token(), timeout=None)
    warm_after_commit()


# Sent after stored pages were retired. programme.warming listens (connected in ProgrammeConfig.ready): the
# warm-up renders through the views and page models, which import this module, so it cannot be called from here.
stored_pages_retired = Signal()


def warm_after_commit():
    """Have a worker render the retired programme pages and exports again once the change commits."""
    stored_pages_retired.send(sender=None)


def current_generation(keys):
    """The current generation made of the generation keys `keys`, each created on first use."""
    values = cache.get_many(keys)
    for key in keys:
        if key not in values:
            cache.add(key, _new_token(), timeout=None)
            values[key] = cache.get(key)
    return generation_from(values[key] for key in keys)


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


def frame_key(conference_id, language, generation):
    """A conference's gathered programme without its sessions, and their order (gathering.published_sessions)."""
    return f"programme:frame:{conference_id}:{language}:{generation}"


def session_entry_key(session_id, language, generation):
    """One session of a gathered programme (its SessionEntry), or False when it is not in the programme."""
    return f"programme:session-entry:{session_id}:{language}:{generation}"


def agenda_event_key(session_id, language, base_url, generation):
    """One session's VEVENT as every personal agenda feed that holds it shows it (`base_url`: the site's address the
    feed was asked at, which the event's URL starts with)."""
    site = hashlib.sha256(base_url.encode()).hexdigest()[:16]
    return f"programme:agenda-event:{session_id}:{language}:{site}:{generation}"


def time_zone_key(time_zone, first_date, last_date):
    """A serialised VTIMEZONE (it depends on the zone database, which a deployment brings: hence the build identity)."""
    return f"programme:vtimezone:{time_zone}:{first_date}:{last_date}:{build_id()}"


# Which sessions can be starred, and in which conference (programme.agenda.starrable_sessions). Every publish,
# unpublish, move or delete of a page bumps the site's generation (invalidate_programme too). Kept under one key
# with its generation inside, so that one read of the cache fetches both.
STARRABLE_KEY = "programme:starrable"


# --- Stored responses (programme.page_cache) -------------------------------------------------------------------

# Filters, and now and next on a venue screen.
ALLOWED_QUERY_NAMES = {"day", "track", "room", "kind", "language", "screen"}
# How many query values a stored answer may have. Every filter value is one the programme has, but their
# combinations multiply (days x tracks x rooms x kinds x languages): a stored page per single filter keeps the
# number of stored pages and exports in proportion to the programme, whatever a crawler or a flood asks for.
MAX_STORED_QUERY_VALUES = 1
CORS_HEADER = ("Access-Control-Allow-Origin", "*")


def query_pairs(query):
    """A QueryDict as sorted (name, value) pairs, every value of a repeated name included."""
    return sorted((name, value) for name, values in query.lists() for value in values)


def is_stored_query(request, canonical):
    """Whether an answer to `request` may be stored: its query is exactly `canonical` (the pairs the view answered
    for, values the page really has, in their one spelling) and holds no more than MAX_STORED_QUERY_VALUES. Any
    other spelling or value is rendered fresh and not kept, so stored answers cannot grow with what is asked."""
    return len(canonical) <= MAX_STORED_QUERY_VALUES and query_pairs(request.GET) == sorted(canonical)


def response_key(request):
    """The key of a stored answer to this URL in this language, or None when the query has other parameters."""
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
        # Pages differ for signed-in visitors (header, stars, tokens).
        patch_vary_headers(response, ["Cookie"])
    conditional = get_conditional_response(
        request, etag=etag, last_modified=last_modified.timestamp() if last_modified else None, response=response
    )
    if cors and conditional is not response:
        # A 304 must carry the CORS header too, or a browser app's revalidation fails.
        conditional[CORS_HEADER[0]] = CORS_HEADER[1]
    return conditional
