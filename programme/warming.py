"""Warming the stored public pages after a change: once a change that retires them commits, a worker re-renders
what visitors ask for first and what costs most to render at 600 sessions, most visited first: each conference's
programme page in every language, its exports, the programme page as signed-in visitors get it, the programme of
each conference day, the speaker index, the home and conference pages (for both kinds of visitor), so that the
first visitor gets a stored copy instead of waiting for it. Then, while the content stays the same, every session
and speaker page (upcoming sessions first): one costs little to render, but at a conference morning hundreds of
them are asked for at once, each rendered by its first visitor under load.

The worker answers each address exactly as it answers a visitor: a real request through every middleware, the
URL resolver and the page cache, which keeps the result. The copy kept for every signed-in visitor is rendered for
programme.page_cache.AnySignedInVisitor, signed in and nobody in particular (no user row): the stored parts are
those any signed-in visitor's request would have kept, and each visitor's token and stars are filled in as ever.
Several changes in a row queue one warm-up; a warm-up that finds the site already warm for the current generation
does nothing; a warm-up lets a waiting email go first between two renders (it queues the rest behind the email);
two workers never render the same address for the same generation at once; one warm-up renders at most
MAX_ADDRESSES addresses. Visitors never wait for a warm-up: whoever comes before it has stored a page renders
the page as before."""

import logging
import time
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from wagtail.models import Locale, Site

from conference.mail import BACKGROUND
from conference.models import ConferencePage
from conference.worker import more_urgent_work_waiting, stop_requested

from .cache import current_generation
from .gathering import page_path
from .models import ProgrammePage, SessionPage, SpeakerIndexPage, SpeakerPage
from .page_cache import ANONYMOUS, PAGE_GENERATION_KEYS, SIGNED_IN, WARM_UP_ATTRIBUTE
from .views import EXPORTERS

logger = logging.getLogger(__name__)

# Set while a warm-up is queued and not yet started: further changes then need no other one.
QUEUED_KEY = "programme:warm:queued"
QUEUED_SECONDS = 120  # a warm-up lost on the way (its row never written) blocks others this long at most
# The generation the last complete warm-up rendered.
WARM_KEY = "programme:warm:generation"
# One worker renders an address for a generation; long enough for the slowest render, short if a worker dies.
RENDER_LOCK_SECONDS = 30
# Bounds of one warm-up (a few hundred milliseconds per address at 600 sessions): the programme of at most this
# many days per conference, and at most this many addresses in all (the least visited are left to visitors).
MAX_DAYS = 7
MAX_ADDRESSES = 120
# Session and speaker pages, after those: in every language for both kinds of visitor (600 sessions and 400
# speakers make 4,000 addresses, about two minutes of a worker's time at low CPU priority).
MAX_PAGE_ADDRESSES = 4000

# The queue and priority of the warm-up (settings.TASKS): below every email (conference.mail.MAIL_PRIORITY).
PAGES_QUEUE = "pages"
PAGES_PRIORITY = -50

_handler = None


def warm_after_commit(**_signal):
    """Queue a warm-up once the current transaction commits (now, outside one). A failure is logged and never
    reaches the change that caused it. Off with PAGE_WARM_UP = False (the tests, unless they test it)."""
    if not settings.PAGE_WARM_UP:
        return
    transaction.on_commit(queue_warm_up, robust=True)


def queue_warm_up():
    """Queue one warm-up, unless one is queued already and has not started."""
    if not cache.add(QUEUED_KEY, True, QUEUED_SECONDS):
        return False
    try:
        warm_stored_pages.enqueue()
    except Exception:
        cache.delete(QUEUED_KEY)  # let the next change try again
        raise
    return True


@task(backend=BACKGROUND, queue_name=PAGES_QUEUE, priority=PAGES_PRIORITY)
def warm_stored_pages(generation=None, start=0, complete=True):
    """Render every address of warm_addresses() then page_addresses() that has no current stored copy. Returns
    what it did per address (the path, followed by " (signed in)" for the signed-in copy).

    Queued by a change with no arguments. Between two renders it hands over: when an email (or other more urgent
    work this worker takes) is waiting, or the worker is stopping, it queues the rest as a new task (`generation`
    it renders, `start` the index of the next address, `complete` whether every address so far answered 200) and
    ends, so that the email goes next and waits for one render at most."""
    if generation is None:
        # Started: a change from now on queues its own warm-up (this one may already read an older generation).
        cache.delete(QUEUED_KEY)
        generation = current_generation(PAGE_GENERATION_KEYS)
        if cache.get(WARM_KEY) == generation:
            return {"skipped": "already warm"}
    started = time.perf_counter()
    # The same list in every part of one warm-up (the content is unchanged; only a session that ends meanwhile
    # moves, which may leave one address to its first visitor).
    addresses = list(dict.fromkeys([*warm_addresses(), *page_addresses()]))
    done = {}
    ended_early = False
    for index in range(start, len(addresses)):
        if current_generation(PAGE_GENERATION_KEYS) != generation:
            ended_early = True  # changed again: the warm-up queued by that change renders the new pages
            break
        if index > start and (stop_requested() or more_urgent_work_waiting(PAGES_PRIORITY)):
            # Stopping, the next worker goes on; an email is waiting, it goes first. Either way, the rest after it.
            ended_early = True
            warm_stored_pages.enqueue(generation=generation, start=index, complete=complete and all_rendered(done))
            break
        path, visitor = addresses[index]
        done[address_label(path, visitor)] = warm(path, visitor, generation)
    if not ended_early and complete and all_rendered(done):
        cache.set(WARM_KEY, generation, None)
    logger.info(
        "Warm-up of generation %s from address %d: %d addresses (%d rendered) in %.1f s%s",
        generation,
        start,
        len(done),
        sum("ms" in outcome for outcome in done.values()),
        time.perf_counter() - started,
        ", the rest queued" if ended_early else "",
    )
    return done


def all_rendered(done):
    return all(outcome.get("status") == 200 for outcome in done.values())


def address_label(path, visitor):
    return path if visitor == ANONYMOUS else f"{path} (signed in)"


def warm_addresses():
    """The (path, kind of visitor) pairs to warm, most visited first, at most MAX_ADDRESSES: each conference's
    programme page in every language, its exports, the signed-in programme pages, the programme of each day, and
    the speaker index. Conferences that end later come first within each group."""
    default_locale = Locale.get_default()
    programmes = list(ProgrammePage.objects.live().filter(locale=default_locale).order_by("path"))
    conferences = {programme.pk: ConferencePage.for_page(programme) for programme in programmes}
    programmes.sort(key=lambda programme: ending(conferences[programme.pk]), reverse=True)
    languages = [language for language, _name in settings.LANGUAGES]
    pages, exports, signed_in, days = [], [], [], []
    for programme in programmes:
        conference_days = conference_dates(conferences[programme.pk])
        for language in languages:
            path = translated_path(programme, language)
            pages.append((path, ANONYMOUS))
            exports.extend((f"{path}schedule.{identifier}", ANONYMOUS) for identifier in EXPORTERS)
            signed_in.append((path, SIGNED_IN))
            days.extend(
                (f"{path}?day={day.isoformat()}", visitor)
                for day in conference_days
                for visitor in (ANONYMOUS, SIGNED_IN)
            )
    indexes = sorted(
        SpeakerIndexPage.objects.live().filter(locale=default_locale),
        key=lambda index: ending(ConferencePage.for_page(index)),
        reverse=True,
    )
    speakers = [
        (translated_path(index, language), visitor)
        for index in indexes
        for language in languages
        for visitor in (ANONYMOUS, SIGNED_IN)
    ]
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    entrances = [
        (path, visitor)
        for page in [*([site.root_page] if site else []), *conference_pages(programmes, conferences)]
        for language in languages
        for path in [translated_path(page.specific, language)]
        for visitor in (ANONYMOUS, SIGNED_IN)
    ]
    addresses = list(dict.fromkeys(pages + exports + signed_in + days + speakers + entrances))
    if len(addresses) > MAX_ADDRESSES:
        logger.warning("Warm-up: %d addresses, rendering the first %d", len(addresses), MAX_ADDRESSES)
    return addresses[:MAX_ADDRESSES]


def conference_pages(programmes, conferences):
    return list(dict.fromkeys(conferences[programme.pk] for programme in programmes if conferences[programme.pk]))


def page_addresses():
    """Every live session and speaker page of the default language, as a visitor reads it in each language, for
    both kinds of visitor: sessions not yet over first (soonest first), then the others, then speakers; at most
    MAX_PAGE_ADDRESSES."""
    default_locale = Locale.get_default()
    now = timezone.now()
    sessions = sorted(
        SessionPage.objects.live().filter(locale=default_locale),
        key=lambda session: (session.end < now, session.start, session.path),
    )
    speakers = list(SpeakerPage.objects.live().filter(locale=default_locale).order_by("path"))
    paths = translated_paths([*sessions, *speakers])
    addresses = [
        (paths[page.pk, language], visitor)
        for page in [*sessions, *speakers]
        for language, _name in settings.LANGUAGES
        for visitor in (ANONYMOUS, SIGNED_IN)
    ]
    return addresses[:MAX_PAGE_ADDRESSES]


def translated_paths(pages):
    """{(page id, language): where a visitor reads the page in that language} for default-language `pages`, as
    translated_path tells it, in a few queries."""
    by_key = {}
    for page_type in {type(page) for page in pages}:
        keys = [page.translation_key for page in pages if type(page) is page_type]
        for translation_page in page_type.objects.live().filter(translation_key__in=keys).select_related("locale"):
            by_key[translation_page.translation_key, translation_page.locale.language_code] = translation_page
    paths = {}
    for page in pages:
        for language, _name in settings.LANGUAGES:
            found = by_key.get((page.translation_key, language))
            if found is not None:
                paths[page.pk, language] = page_path(found)
            else:
                with translation.override(language):
                    paths[page.pk, language] = reverse("wagtail_serve", args=[page_path(page).lstrip("/")])
    return paths


def ending(conference):
    return conference.end_date if conference is not None else date.min


def conference_dates(conference):
    """The conference's days (as its programme's day tabs link them), at most MAX_DAYS."""
    if conference is None:
        return []
    canonical = conference.canonical
    count = min((canonical.end_date - canonical.start_date).days + 1, MAX_DAYS)
    return [canonical.start_date + timedelta(days=number) for number in range(count)]


def translated_path(page, language):
    """Where a visitor reads `page` in `language`: its translation's address, or the untranslated page at the
    language's prefix (served in that language's menus, home.models.HomePage.route)."""
    translation_page = (
        type(page).objects.live().filter(translation_key=page.translation_key, locale__language_code=language)
    ).first()
    if translation_page is not None:
        return page_path(translation_page)
    with translation.override(language):
        return reverse("wagtail_serve", args=[page_path(page).lstrip("/")])


def warm(path, visitor, generation):
    """Answer `path` as for `visitor` (ANONYMOUS or SIGNED_IN; the page cache keeps the result), unless another
    worker is rendering it for this generation."""
    lock = f"programme:warm:rendering:{generation}:{visitor}:{path}"
    if not cache.add(lock, True, RENDER_LOCK_SECONDS):
        return {"skipped": "being rendered by another worker"}
    started = time.perf_counter()
    try:
        response = answer_as_visitor(path, visitor)
    except Exception as error:  # one address failing must not keep the others cold
        logger.exception("Warming %s failed", address_label(path, visitor))
        return {"error": f"{type(error).__name__}: {error}"}
    finally:
        cache.delete(lock)
    milliseconds = round((time.perf_counter() - started) * 1000)
    if response.status_code != 200:
        logger.warning("Warming %s: the site answered %s", address_label(path, visitor), response.status_code)
    return {"status": response.status_code, "ms": milliseconds}


def answer_as_visitor(path, visitor=ANONYMOUS):
    """The site's answer to a GET of `path` at SITE_URL's host over HTTPS, through every middleware, without a
    cookie; the page cache renders and keeps the copy for `visitor` (programme.page_cache.WARM_UP_ATTRIBUTE).
    The language the request activates is put back afterwards (the worker runs other tasks next)."""
    global _handler  # noqa: PLW0603 - the middleware chain is loaded once per process, as a WSGI handler does
    if _handler is None:
        handler = BaseHandler()
        handler.load_middleware()
        _handler = handler
    request = RequestFactory().get(path, secure=True, HTTP_HOST=urlsplit(settings.SITE_URL).netloc)
    setattr(request, WARM_UP_ATTRIBUTE, visitor)
    with translation.override(translation.get_language()):
        return _handler.get_response(request)
