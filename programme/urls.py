"""Programme URLs in front of Wagtail's page serving: the exports at their contract paths (…/schedule.ics,
without a trailing slash) and a cache-first path for anonymous GETs (everything else falls through to Wagtail)."""

from django.urls import re_path

from . import cached_routes

urlpatterns = [
    re_path(
        r"^(?P<path>(?:[\w\-]+/)+)(?P<filename>schedule\.ics|schedule\.xml|schedule\.json|session\.ics)$",
        cached_routes.serve_file_route,
    ),
    # The same pattern as wagtail_serve; Wagtail's own _util/ views stay with Wagtail.
    re_path(r"^(?P<path>(?!_util/)(?:[\w\-]+/)+)$", cached_routes.fast_path),
]
