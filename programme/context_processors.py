"""Template context for pages kept in the shared page cache: forms get a marker where the CSRF token goes, and
programme.page_cache puts each visitor's own token there."""

from .page_cache import CSRF_MARKER, is_rendering_shared


def shared_page(request):
    """Overrides Django's csrf_token (listed after it) while a page is rendered for the shared cache."""
    return {"csrf_token": CSRF_MARKER} if is_rendering_shared(request) else {}
