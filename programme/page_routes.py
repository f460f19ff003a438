"""Wagtail's routing of a URL to its page, kept in the shared cache per host, URL and language for one generation of
the stored pages (programme.page_cache). Pages rendered for each visitor (the registration form and its POST) then
load their page with one query instead of Wagtail's walk from the site's root: the site, the locale, every page on
the path, their aliases and their view restrictions, seven or eight queries.

A route is kept only for a page that no view restriction covers (on it or an ancestor) and whose class lets the
kept route vouch for that (conference.page_caching.KeptRouteMixin). Every change that can send a URL to another
page or restrict it bumps the generation (programme.signals: publish, unpublish, move, slug change, delete, a site,
locale or view restriction saved or deleted), which retires every kept route at once."""

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Site

from conference.page_caching import KeptRouteMixin

from .cache import CACHE_TIMEOUT


def route_key(request):
    digest = hashlib.sha256(f"{request.get_host()}|{get_language()}|{request.path}".encode()).hexdigest()
    return f"programme:route:{digest}"


def use_kept_route(request, path, generation):
    """Give Wagtail this request's route from the shared cache, if kept for `generation`, so that its serve view
    skips routing (it reads request._wagtail_route_for_request). Returns whether it did."""
    entry = cache.get(route_key(request))
    if entry is None or entry["generation"] != generation:
        return False
    model = apps.get_model(entry["model"])
    page = model.objects.filter(pk=entry["pk"], live=True).first()
    if page is None:
        return False
    page.view_restrictions_known_absent = True
    components = [component for component in path.split("/") if component]
    request._wagtail_route_for_request = page.route(request, components[entry["consumed"] :])
    return True


def keep_route(request, generation):
    """After Wagtail routed this request itself: keep the route for the next request to the same URL."""
    route = getattr(request, "_wagtail_route_for_request", None)
    page = route[0] if route is not None else None
    if not isinstance(page, KeptRouteMixin):
        return
    site = Site.find_for_request(request)  # memoised on the request by Wagtail's routing
    if site is None or page.get_view_restrictions().exists():
        return
    entry = {
        "generation": generation,
        "model": page._meta.label,
        "pk": page.pk,
        # The URL's components that name the page; the rest is the page's own sub-route (RoutablePageMixin).
        "consumed": page.depth - site.root_page.depth,
    }
    cache.set(route_key(request), entry, CACHE_TIMEOUT)
