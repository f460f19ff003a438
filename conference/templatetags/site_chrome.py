"""Template tags for the site's header and footer: navigation, organisations, language links."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from conference.enums import OrganisationRole
from conference.models import ConferencePage

register = template.Library()

ORGANISATION_HEADINGS = [
    (OrganisationRole.ORGANISER, _("Organised by")),
    (OrganisationRole.PARTNER, _("Partners")),
    (OrganisationRole.FUNDER, _("With support from")),
]


def current_conference(context):
    """The ConferencePage the current page belongs to (or is), if any; cached on the request."""
    request = context.get("request")
    if request is not None and hasattr(request, "_current_conference"):
        return request._current_conference
    conference = context.get("conference")
    page = context.get("page")
    if conference is None and isinstance(page, Page):
        conference = ConferencePage.for_page(page.specific_deferred)
    if conference is not None:
        # An untranslated page shown under /ru/ still gets the Russian conference's menus.
        conference = conference.localized
    if request is not None:
        request._current_conference = conference
    return conference


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """Menu items of the current conference (its in-menu children), and its organisations by role."""
    request = context.get("request")
    if request is not None and hasattr(request, "_site_navigation"):
        return request._site_navigation
    conference = current_conference(context)
    page = context.get("page")
    items, footer_items = [], []
    if conference is not None:
        for child in conference.get_children().live().public().in_menu().specific(defer=True):
            url = child.get_url(request)
            entry = {"title": child.title, "url": url, "current": bool(page and page.pk == child.pk)}
            (footer_items if child.specific_class.__name__ == "StandardPage" else items).append(entry)
        if conference.registration_types_exist:
            items.append(
                {"title": _("Register"), "url": conference.url + "register/", "current": False, "call_to_action": True}
            )
    navigation = {"conference": conference, "items": items, "footer_items": footer_items}
    if request is not None:
        request._site_navigation = navigation
    return navigation


@register.simple_tag(takes_context=True)
def organisation_groups(context, conference):
    """The conference's organisations by role (for the conference page and the footer, which keeps them in a fragment
    cache: each logo is four image renditions to look up); once per request."""
    request = context.get("request")
    if request is not None and hasattr(request, "_organisation_groups"):
        return request._organisation_groups
    links = []
    if conference is not None:
        links = list(conference.canonical.organisation_links.select_related("organisation", "organisation__logo"))
    groups = []
    for role, heading in ORGANISATION_HEADINGS:
        organisations = [link.organisation for link in links if link.role == role]
        if organisations:
            groups.append({"role": role, "heading": heading, "organisations": organisations})
    if request is not None:
        request._organisation_groups = groups
    return groups


def language_prefix(code):
    """The URL prefix of a language under i18n_patterns: "/" for the default language, "/ru/" for Russian."""
    with translation.override(code):
        return reverse("wagtail_serve", args=[""])


def strip_language_prefix(path):
    """`path` without its language prefix ("/ru/my/" -> "/my/"), so that it can be re-prefixed."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def query_in_language(query, code):
    """The query string for the same page in language `code`; a sign-in's `next` page switches language too."""
    if not query:
        return ""
    query = query.copy()
    target = query.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        query["next"] = language_prefix(code) + strip_language_prefix(target).lstrip("/")
    return "?" + query.urlencode(safe="/")


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language to this same page in that language: the page's translation (plus the sub-route
    being shown, e.g. register/, and the query string), or the same address under the other language's prefix
    for views outside the page tree (/my/, /accounts/login/) and untranslated pages (served as a fallback)."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    if request is None:
        return [
            {"code": code, "name": name, "url": language_prefix(code), "current": code == current}
            for code, name in settings.LANGUAGES
        ]
    if hasattr(request, "_language_links"):
        return request._language_links
    path = strip_language_prefix(request.path)
    query = request.GET.copy()
    translations, suffix = {}, None
    if isinstance(page, Page) and page.pk:
        page_path = strip_language_prefix(page.get_url(request) or "")
        if page_path and path.startswith(page_path):
            suffix = path[len(page_path) :]
            for item in page.get_translations(inclusive=True).live().select_related("locale"):
                translations[item.locale.language_code] = item
    links = []
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = (translations[code].get_url(request) or "/") + suffix
        else:
            url = language_prefix(code) + path.lstrip("/")
        links.append(
            {"code": code, "name": name, "url": url + query_in_language(query, code), "current": code == current}
        )
    request._language_links = links
    return links


@register.simple_tag(takes_context=True)
def localized_pageurl(context, page):
    """`page`'s address in the active language: its live translation's, or else the same path under the active
    language's prefix (served as an untranslated fallback), so that links keep the reader in their language."""
    request = context.get("request")
    translation = page.localized
    if translation.locale_id == Locale.get_active().pk:
        return translation.get_url(request)
    return language_prefix(get_language()) + strip_language_prefix(page.get_url(request) or "/").lstrip("/")


@register.simple_tag(takes_context=True)
def content_language(context):
    """The language of the page's own content when it differs from the active language (an untranslated page
    shown as a fallback), else an empty string."""
    page = context.get("page")
    if not isinstance(page, Page) or not page.pk:
        return ""
    code = Locale.objects.filter(pk=page.locale_id).values_list("language_code", flat=True).first()
    return code if code and code != get_language() else ""


@register.simple_tag
def default_locale():
    return Locale.get_default()
