"""Fragments kept in the shared cache across pages, retired with the stored pages (programme.page_cache)."""

from django import template

from ..page_cache import page_generation

register = template.Library()


@register.simple_tag(takes_context=True)
def stored_pages_generation(context):
    """For `{% cache %}` keys: changes whenever any public page, menu or organisation changes."""
    request = context.get("request")
    # Without a request nothing says which generation the content is from: a fresh key, so nothing stale is read.
    return page_generation(request) if request is not None else object()
