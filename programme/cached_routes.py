"""The programme's URL routes in front of Wagtail's page serving (programme.urls): anonymous GETs answered from
the shared response cache, everything else handed to Wagtail. Apart from programme.views because Wagtail's serve
view cannot be imported while the page models load."""

from wagtail.views import serve

from .cache import cached_response


def fast_path(request, path):
    """Anonymous GETs of programme pages and exports straight from the shared cache; anything else goes to
    Wagtail's page serving as usual."""
    response = cached_response(request)
    if response is not None:
        return response
    return serve(request, path)


def serve_file_route(request, path, filename):
    """/…/schedule.ics (no trailing slash, as the contract says) is the page route "schedule.ics/"."""
    response = cached_response(request)
    if response is not None:
        return response
    return serve(request, f"{path}{filename}/")
