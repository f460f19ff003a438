"""Template tags for the site's header and footer: navigation, organisations, language links."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from conference.enums import OrganisationRole
from conference.models import ConferenceOrganisation, ConferencePage
from conference.page_meta import page_meta

register = template.Library()

ORGANISATION_HEADINGS = [
    (OrganisationRole.ORGANISER, _("Organised by")),
    (OrganisationRole.PARTNER, _("Partners")),
    (OrganisationRole.FUNDER, _("With support from")),
]


def current_conference(context):
    """The ConferencePage the current page belongs to (or is), in the active language, if any."""
    conference = context.get("conference")
    page = context.get("page")
    if conference is None and isinstance(page, Page):
        conference = ConferencePage.for_page(page.specific_deferred)
    # An untranslated page shown under /ru/ still gets the Russian conference's menus.
    return conference.localized if conference is not None else None


def navigation_data(context):
    """The header's and footer's menus for the page in `context`: plain data, the same for every visitor of the
    page in a language (programme.page_chrome keeps it between changes)."""
    request = context.get("request")
    conference = current_conference(context)
    data = {"conference": None, "items": [], "footer_items": []}
    if conference is None:
        return data
    data["conference"] = {
        "pk": conference.pk,
        "canonical_pk": conference.canonical.pk,
        "title": conference.title,
        "url": conference.get_url(request),
        "contact_email": conference.contact_email,
        "venue": conference.venue_id is not None,
    }
    for child in conference.get_children().live().public().in_menu().specific(defer=True):
        entry = {"pk": child.pk, "title": child.title, "url": child.get_url(request)}
        (data["footer_items"] if child.specific_class.__name__ == "StandardPage" else data["items"]).append(entry)
    if conference.registration_types_exist:
        data["items"].append(
            {"pk": None, "title": str(_("Register")), "url": conference.url + "register/", "call_to_action": True}
        )
    return data


def with_current_page(navigation, page):
    """`navigation` (navigation_data) with the menu item of `page` marked current."""
    page_pk = page.pk if isinstance(page, Page) else None
    items = [{**item, "current": item["pk"] is not None and item["pk"] == page_pk} for item in navigation["items"]]
    return {**navigation, "items": items}


@register.simple_tag(takes_context=True)
def organisation_groups(context, conference):
    """The organisations by role of `conference`, a ConferencePage or navigation_data's conference (for the conference
    page, and the footer, which keeps them in a fragment cache: each logo is four image renditions to look up); once
    per request."""
    request = context.get("request")
    if request is not None and hasattr(request, "_organisation_groups"):
        return request._organisation_groups
    if isinstance(conference, ConferencePage):  # the page itself: a preview shows its unsaved organisations
        links = conference.canonical.organisation_links.select_related("organisation", "organisation__logo")
    elif conference:
        links = ConferenceOrganisation.objects.filter(conference_id=conference["canonical_pk"]).select_related(
            "organisation", "organisation__logo"
        )
    else:
        links = []
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


def page_language_data(context):
    """What the language links and the content language need of the page in `context`, as plain data the same for
    every visitor (programme.page_chrome keeps it): the page's own address, its live translations' addresses and the
    language of its content."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page) or not page.pk:
        return {"page_path": "", "translations": {}, "content_language": ""}
    translations = {
        item.locale.language_code: item.get_url(request) or "/"
        for item in page.get_translations(inclusive=True).live().select_related("locale")
    }
    return {
        "page_path": strip_language_prefix(page.get_url(request) or ""),
        "translations": translations,
        "content_language": Locale.objects.filter(pk=page.locale_id).values_list("language_code", flat=True).first()
        or "",
    }


def links_to_languages(request, language_data):
    """One link per language to this same page in that language: the page's translation (plus the sub-route
    being shown, e.g. register/, and the query string), or the same address under the other language's prefix
    for views outside the page tree (/my/, /accounts/login/) and untranslated pages (served as a fallback)."""
    current = get_language()
    if request is None:
        return [
            {"code": code, "name": name, "url": language_prefix(code), "current": code == current}
            for code, name in settings.LANGUAGES
        ]
    path = strip_language_prefix(request.path)
    query = request.GET.copy()
    page_path = language_data["page_path"]
    translations = language_data["translations"] if page_path and path.startswith(page_path) else {}
    suffix = path[len(page_path) :]
    links = []
    for code, name in settings.LANGUAGES:
        url = translations[code] + suffix if code in translations else language_prefix(code) + path.lstrip("/")
        links.append(
            {"code": code, "name": name, "url": url + query_in_language(query, code), "current": code == current}
        )
    return links


@register.simple_tag(takes_context=True)
def language_links(context):
    """links_to_languages for the page in `context` (programme's page_fragments has the same, kept between
    changes)."""
    return links_to_languages(context.get("request"), page_language_data(context))


@register.simple_tag(takes_context=True)
def localized_pageurl(context, page):
    """`page`'s address in the active language: its live translation's, or else the same path under the active
    language's prefix (served as an untranslated fallback), so that links keep the reader in their language."""
    request = context.get("request")
    translation = page.localized
    if translation.locale_id == Locale.get_active().pk:
        return translation.get_url(request)
    return language_prefix(get_language()) + strip_language_prefix(page.get_url(request) or "/").lstrip("/")


def foreign_content_language(language_data):
    """page_language_data's content language when it is not the active language, else an empty string."""
    code = language_data["content_language"]
    return code if code != get_language() else ""


@register.simple_tag
def default_locale():
    return Locale.get_default()


def head_meta_data(context):
    """The page's description, title and share image (conference.page_meta), as plain data: the same for every
    visitor of the page in a language (programme.page_chrome keeps it)."""
    return page_meta(
        page=context.get("page"), conference=current_conference(context), conferences=context.get("conferences")
    )
