"""Warming the stored public pages after a change: once a change that retires them commits, a worker re-renders
what visitors ask for first and what costs most to render at 600 sessions (each conference's programme page in
every language and its exports), so that the first visitor gets a stored copy instead of waiting for it.

The worker answers each address exactly as it answers an anonymous visitor: a real request through every
middleware, the URL resolver and the page cache, which keeps the result. Several changes in a row queue one
warm-up; a warm-up that finds the site already warm for the current generation does nothing; two workers never
render the same address for the same generation at once. Visitors never wait for a warm-up: whoever comes before
it has stored a page renders the page as before."""

import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django_tasks import task
from wagtail.models import Locale

from conference.mail import BACKGROUND

from .cache import current_generation
from .gathering import page_path
from .models import ProgrammePage
from .page_cache import PAGE_GENERATION_KEYS
from .views import EXPORTERS

logger = logging.getLogger(__name__)

# Set while a warm-up is queued and not yet started: further changes then need no other one.
QUEUED_KEY = "programme:warm:queued"
QUEUED_SECONDS = 120  # a warm-up lost on the way (its row never written) blocks others this long at most
# The generation the last complete warm-up rendered.
WARM_KEY = "programme:warm:generation"
# One worker renders an address for a generation; long enough for the slowest render, short if a worker dies.
RENDER_LOCK_SECONDS = 30

_handler = None


def warm_after_commit():
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


@task(backend=BACKGROUND)
def warm_stored_pages():
    """Render every address of warm_paths() that has no current stored copy. Returns what it did per address."""
    # Started: a change from now on queues its own warm-up (this one may already read an older generation).
    cache.delete(QUEUED_KEY)
    generation = current_generation(PAGE_GENERATION_KEYS)
    if cache.get(WARM_KEY) == generation:
        return {"skipped": "already warm"}
    done = {path: warm(path, generation) for path in warm_paths()}
    if all(outcome.get("status") == 200 for outcome in done.values()):
        cache.set(WARM_KEY, generation, None)
    return done


def warm_paths():
    """The addresses to warm, most visited first: each conference's programme page in every language, then its
    exports in every language."""
    pages, exports = [], []
    default_locale = Locale.get_default()
    for programme in ProgrammePage.objects.live().filter(locale=default_locale).order_by("path"):
        for language, _name in settings.LANGUAGES:
            path = programme_path(programme, language)
            pages.append(path)
            exports.extend(f"{path}schedule.{identifier}" for identifier in EXPORTERS)
    return list(dict.fromkeys(pages + exports))


def programme_path(programme, language):
    """Where a visitor reads `programme` in `language`: its translation's address, or the untranslated page at
    the language's prefix (served in that language's menus, home.models.HomePage.route)."""
    translation_page = (
        ProgrammePage.objects.live().filter(translation_key=programme.translation_key, locale__language_code=language)
    ).first()
    if translation_page is not None:
        return page_path(translation_page)
    with translation.override(language):
        return reverse("wagtail_serve", args=[page_path(programme).lstrip("/")])


def warm(path, generation):
    """Answer `path` as for an anonymous visitor (the page cache keeps the result), unless another worker is
    rendering it for this generation."""
    lock = f"programme:warm:rendering:{generation}:{path}"
    if not cache.add(lock, True, RENDER_LOCK_SECONDS):
        return {"skipped": "being rendered by another worker"}
    started = time.perf_counter()
    try:
        response = answer_as_visitor(path)
    except Exception as error:  # one address failing must not keep the others cold
        logger.exception("Warming %s failed", path)
        return {"error": f"{type(error).__name__}: {error}"}
    finally:
        cache.delete(lock)
    milliseconds = round((time.perf_counter() - started) * 1000)
    if response.status_code != 200:
        logger.warning("Warming %s: the site answered %s", path, response.status_code)
    return {"status": response.status_code, "ms": milliseconds}


def answer_as_visitor(path):
    """The site's answer to an anonymous GET of `path` at SITE_URL's host over HTTPS, through every middleware.
    The language the request activates is put back afterwards (the worker runs other tasks next)."""
    global _handler  # noqa: PLW0603 - the middleware chain is loaded once per process, as a WSGI handler does
    if _handler is None:
        handler = BaseHandler()
        handler.load_middleware()
        _handler = handler
    request = RequestFactory().get(path, secure=True, HTTP_HOST=urlsplit(settings.SITE_URL).netloc)
    with translation.override(translation.get_language()):
        return _handler.get_response(request)
