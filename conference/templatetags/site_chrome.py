"""Template tags for the site's header and footer: navigation, organisations, language links."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

register = template.Library()

ORGANISATION_HEADINGS = [
    ("organiser", _("Organised by")),
    ("partner", _("Partners")),
    ("funder", _("With support from")),
]


def current_conference(context):
    """The ConferencePage the current page belongs to (or is), if any; cached on the request."""
    from conference.models import ConferencePage

    request = context.get("request")
    if request is not None and hasattr(request, "_current_conference"):
        return request._current_conference
    conference = context.get("conference")
    page = context.get("page")
    if conference is None and isinstance(page, Page):
        if isinstance(page.specific_deferred, ConferencePage):
            conference = page.specific_deferred
        else:
            conference = ConferencePage.objects.ancestor_of(page).first()
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
    items, footer_items, organisation_groups = [], [], []
    if conference is not None:
        for child in conference.get_children().live().public().in_menu().specific(defer=True):
            url = child.get_url(request)
            entry = {"title": child.title, "url": url, "current": bool(page and page.pk == child.pk)}
            (footer_items if child.specific_class.__name__ == "StandardPage" else items).append(entry)
        if conference.registration_types_exist:
            items.append({"title": _("Register"), "url": conference.url + "register/", "current": False})
        links = list(conference.canonical.organisation_links.select_related("organisation", "organisation__logo"))
        for role, heading in ORGANISATION_HEADINGS:
            organisations = [link.organisation for link in links if link.role == role]
            if organisations:
                organisation_groups.append({"role": role, "heading": heading, "organisations": organisations})
    navigation = {
        "conference": conference,
        "items": items,
        "footer_items": footer_items,
        "organisation_groups": organisation_groups,
    }
    if request is not None:
        request._site_navigation = navigation
    return navigation


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language, to this same page in that language (or the nearest translated ancestor)."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    links = []
    translations = {}
    if isinstance(page, Page) and page.pk:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request)
            # Page URLs carry the language prefix of the locale's tree; add the route suffix (e.g. register/).
            suffix = context.get("route_suffix", "")
            url = (url or "/") + suffix
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag
def default_locale():
    return Locale.get_default()
