"""The header's and footer's data for a page (its conference's menus, its translations, its content language) kept
in the shared cache per stored-pages generation: the same for every visitor of a page in a language, so pages that
are rendered for each visitor (the registration form, /my/, sign-in) do not look the menus up each time."""

from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Page

from conference.templatetags.site_chrome import head_meta_data, navigation_data, page_language_data

from .cache import CACHE_TIMEOUT
from .page_cache import page_generation


def _source_key(context):
    """What the chrome depends on besides the generation and language, or None when it must not be kept: a
    preview shows unpublished titles, and an unsaved page has no identity."""
    request = context.get("request")
    page = context.get("page")
    conference = context.get("conference")
    if request is None or getattr(request, "is_preview", False):
        return None
    if isinstance(page, Page) and not page.pk:
        return None
    page_pk = page.pk if isinstance(page, Page) else None
    conference_pk = conference.pk if conference is not None else None
    # Page addresses are relative to the requested site: the host is part of what they mean.
    return f"{request.get_host()}:{page_pk}:{conference_pk}"


def page_chrome(context):
    """{"navigation": …, "languages": …, "meta": …} for the page in `context` (site_chrome's navigation_data,
    page_language_data and head_meta_data), from the shared cache; once per request."""
    request = context.get("request")
    if request is not None and hasattr(request, "_page_chrome"):
        return request._page_chrome
    source = _source_key(context)
    key = f"page_chrome:{page_generation(request)}:{get_language()}:{source}" if source else None
    chrome = cache.get(key) if key else None
    if chrome is None:
        chrome = {
            "navigation": navigation_data(context),
            "languages": page_language_data(context),
            "meta": head_meta_data(context),
        }
        if key:
            cache.set(key, chrome, CACHE_TIMEOUT)
    if request is not None:
        request._page_chrome = chrome
    return chrome
