"""Parts of every page made cheap: fragments kept in the shared cache across pages (retired with the stored pages,
programme.page_cache) and the organisers' user bar."""

from django import template
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from conference.page_meta import canonical_url
from conference.templatetags.site_chrome import foreign_content_language, links_to_languages, with_current_page

from ..page_cache import has_admin_access, page_generation
from ..page_chrome import page_chrome

register = template.Library()


@register.simple_tag(takes_context=True)
def stored_pages_generation(context):
    """For `{% cache %}` keys: changes whenever any public page, menu or organisation changes."""
    request = context.get("request")
    # Without a request nothing says which generation the content is from: a fresh key, so nothing stale is read.
    return page_generation(request) if request is not None else object()


@register.simple_tag(takes_context=True)
def admin_user_bar(context):
    """Wagtail's user bar for organisers; for everybody else nothing, without the two permission queries that
    Wagtail's own tag makes on every page (the answer is kept in the session, programme.page_cache)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or not has_admin_access(request):
        return ""
    return wagtailuserbar(context)


@register.simple_tag(takes_context=True)
def kept_site_navigation(context):
    """The current conference's menus (site_chrome.navigation_data), the page being shown marked current; kept
    between changes (programme.page_chrome)."""
    return with_current_page(page_chrome(context)["navigation"], context.get("page"))


@register.simple_tag(takes_context=True)
def kept_language_links(context):
    """site_chrome's language_links, kept between changes (programme.page_chrome)."""
    return links_to_languages(context.get("request"), page_chrome(context)["languages"])


@register.simple_tag(takes_context=True)
def kept_content_language(context):
    """The language of the page's own content when it is not the active one (an untranslated page shown as a
    fallback), else ""; kept between changes (programme.page_chrome)."""
    return foreign_content_language(page_chrome(context)["languages"])


@register.simple_tag(takes_context=True)
def kept_head_meta(context):
    """The page's description, title and share image (site_chrome.head_meta_data), kept between changes
    (programme.page_chrome), with the canonical address of this request."""
    meta = dict(page_chrome(context)["meta"])
    meta["canonical_url"] = canonical_url(context.get("request"), context.get("canonical_url"))
    return meta
