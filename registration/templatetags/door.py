"""Template filters of the door: whether a page's "next" address is the scanner (for its own sign-in page)."""

from django import template
from django.urls import reverse

from conference.templatetags.site_chrome import strip_language_prefix

register = template.Library()


@register.filter
def is_door_address(value):
    """True when `value`, a path in any language, is the scanner or one of its pages."""
    if not isinstance(value, str) or not value.startswith("/"):
        return False
    return strip_language_prefix(value).startswith(strip_language_prefix(reverse("checkin:scanner")))
