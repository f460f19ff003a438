"""Marks the answers of public pages that the shared page cache (programme.page_cache) may keep: the same for every
visitor of one kind (anonymous or signed in) apart from the parts the cache fills in per request."""

from wagtail.models import PageViewRestriction


def shareable(response, **options):
    """Let the page cache keep `response` (options: timeout, last_modified, cors, and query: the (name, value)
    pairs of the query it answers, none by default); previews are never kept, nor answers to any other query."""
    response.shared_cache = options
    return response


class ShareablePageMixin:
    """A page whose own view (Page.serve) answers the same to every visitor: home, information and speaker pages.
    Routable pages mark their shareable routes themselves."""

    def serve(self, request, *args, **kwargs):
        return shareable(super().serve(request, *args, **kwargs))


class KeptRouteMixin:
    """A page whose route the shared cache may keep (programme.page_routes). The kept route is stored only for a
    page that no view restriction covers and is retired when one is added; a page loaded through it is marked
    `view_restrictions_known_absent` so that Wagtail's view-restriction check (a query over the page and its
    ancestors) is not asked again on every request."""

    view_restrictions_known_absent = False

    def get_view_restrictions(self):
        if self.view_restrictions_known_absent:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
