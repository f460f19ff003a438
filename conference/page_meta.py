"""What a page says about itself to search engines and link previews: its description, canonical address and
share image (base.html's <meta name="description">, <link rel="canonical"> and Open Graph tags, through
programme.templatetags.page_fragments.kept_head_meta)."""

import re

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page

from conference.models import ConferencePage

DESCRIPTION_LENGTH = 160  # what search engines show of a description
# The page's own words, in the order they describe it best: a speaker's short bio, an introduction, a session's
# abstract. Read by name, so that every page type (home, programme apps) is covered without importing them here.
SUMMARY_FIELDS = ("short_bio", "intro", "abstract", "body", "tagline")
SHARE_RENDITION = "format-jpeg|fill-960x540"  # made ahead with the hero's other renditions (demo.images)


def plain_text(value):
    """The readable text of a plain, rich text or StreamField value, on one line."""
    if hasattr(value, "raw_data"):  # a StreamField: the text of its text blocks, in order
        value = " ".join(plain_text(block.value) for block in value)
    elif hasattr(value, "source"):  # RichText inside a StreamField
        value = value.source
    elif not isinstance(value, str):
        return ""
    return re.sub(r"\s+", " ", strip_tags(value)).strip()


def page_summary(page):
    for name in SUMMARY_FIELDS:
        text = plain_text(getattr(page, name, ""))
        if text:
            return text
    return ""


def conference_summary(conference):
    """ "Title: theme. City." for a page whose own fields say nothing."""
    parts = [conference.title + (f": {conference.tagline}" if conference.tagline else "")]
    if conference.city:
        parts.append(conference.city)
    return ". ".join(parts) + "."


def description_for(page, conference):
    """The organiser's search description, else the page's own words, else its conference's, else the site's."""
    text = ""
    if isinstance(page, Page):
        text = page.search_description.strip() or page_summary(page)
    if not text and conference is not None:
        text = conference_summary(conference)
    text = text or _("Registration and programme of regional harm reduction conferences.")
    return Truncator(text).chars(DESCRIPTION_LENGTH)


def absolute(url):
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def share_image(conference):
    """{"url", "width", "height", "alt"} of the picture a messenger shows with a shared link: the conference's
    hero image; None without one."""
    if conference is None or conference.hero_image is None:
        return None
    try:
        rendition = conference.hero_image.get_rendition(SHARE_RENDITION)
    except SourceImageIOError:
        # The original is missing from the media folder (a restored database without its files): a page without a
        # share card, not a 500 on every page.
        return None
    return {
        "url": absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": conference.hero_alt,
    }


def newest_conference(conferences):
    """For pages outside every conference (the home page): the newest conference the page lists, else any."""
    if conferences:
        return conferences[0]
    return ConferencePage.objects.live().public().order_by("-start_date").first()


def page_meta(*, page, conference, conferences=None):
    """The page's description, title and share image: the same for every visitor of the page in a language, so
    programme.page_chrome keeps it between changes (no image lookup on pages rendered per visitor)."""
    share_conference = conference or newest_conference(conferences)
    title = ""
    if isinstance(page, Page):
        title = page.seo_title or page.title
    return {
        "description": description_for(page, conference),
        "title": title,
        "image": share_image(share_conference.localized if share_conference else None),
    }


def canonical_url(request, canonical=None):
    """The page's canonical address from settings.SITE_URL, never the request's Host: the shared cache keeps pages
    for every visitor. A view may name its own (the programme keeps its known filters, in a fixed order)."""
    return canonical or settings.SITE_URL + (request.path if request is not None else "/")
