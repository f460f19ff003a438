"""Marks the answers of public pages that the shared page cache (programme.page_cache) may keep: the same for every
visitor of one kind (anonymous or signed in) apart from the parts the cache fills in per request."""


def shareable(response, **options):
    """Let the page cache keep `response` (options: timeout, last_modified, cors); previews are never kept."""
    response.shared_cache = options
    return response


class ShareablePageMixin:
    """A page whose own view (Page.serve) answers the same to every visitor: home, information and speaker pages.
    Routable pages mark their shareable routes themselves."""

    def serve(self, request, *args, **kwargs):
        return shareable(super().serve(request, *args, **kwargs))
