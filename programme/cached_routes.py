"""The site's page routes in front of Wagtail's page serving (programme.urls): GETs answered from the shared page
cache (programme.page_cache), everything else handed to Wagtail and kept when its view says it may be. Apart from
programme.views because Wagtail's serve view cannot be imported while the page models load."""

from wagtail.views import serve

from .page_cache import cached_response, finish_response


def fast_path(request, path):
    """Public pages straight from the shared cache, personalised; anything else goes to Wagtail's page serving."""
    response = cached_response(request)
    if response is not None:
        return response
    try:
        return finish_response(request, serve(request, path))
    finally:
        request.page_cache_variant = None


def serve_file_route(request, path, filename):
    """/…/schedule.ics (no trailing slash, as the contract says) is the page route "schedule.ics/"; exports are the
    same for every visitor, signed in or not."""
    response = cached_response(request, everyone=True)
    if response is not None:
        return response
    return finish_response(request, serve(request, f"{path}{filename}/"))
