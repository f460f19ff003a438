"""The site's page routes in front of Wagtail's page serving (programme.urls): GETs answered from the shared page
cache (programme.page_cache), everything else handed to Wagtail, routed from the shared cache when it can be
(programme.page_routes), and kept when its view says it may be. Apart from programme.views because Wagtail's serve
view cannot be imported while the page models load."""

from wagtail.views import serve

from . import page_routes
from .page_cache import cached_response, finish_response, page_generation


def fast_path(request, path):
    """Public pages straight from the shared cache, personalised; anything else goes to Wagtail's page serving."""
    response = cached_response(request)
    if response is not None:
        return response
    try:
        return finish_response(request, serve_page(request, path))
    finally:
        request.page_cache_variant = None


def serve_file_route(request, path, filename):
    """/…/schedule.ics (no trailing slash, as the contract says) is the page route "schedule.ics/"; exports are the
    same for every visitor, signed in or not."""
    response = cached_response(request, everyone=True)
    if response is not None:
        return response
    return finish_response(request, serve(request, f"{path}{filename}/"))


def serve_page(request, path):
    """Wagtail's page serving, with the route kept for this URL when there is one, and kept after it when not."""
    generation = page_generation(request)
    routed_from_cache = page_routes.use_kept_route(request, path, generation)
    response = serve(request, path)
    if not routed_from_cache:
        page_routes.keep_route(request, generation)
    return response
