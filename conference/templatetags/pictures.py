"""Template filters for pictures of people and organisations: initials avatars when there is no photo."""

import hashlib
import re

from django import template

register = template.Library()

# Dark colours on which white initials pass WCAG AA (contrast at least 4.5:1).
AVATAR_COLOURS = ["#1f5f8b", "#8a2b4a", "#1d6b35", "#7a4b00", "#4b3a8c", "#0f6e6e", "#9b3d12", "#3d4f5c"]


@register.filter
def initials(name):
    """Up to two capital letters from `name` ("Ona Petraitė (demo)" -> "OP"), ignoring parenthesised notes."""
    words = re.sub(r"\([^)]*\)", " ", str(name or "")).split()
    letters = [word[0] for word in words if word[:1].isalpha()]
    if len(letters) > 2:
        letters = [letters[0], letters[-1]]
    return "".join(letters).upper()


@register.filter
def avatar_colour(key):
    """A colour from AVATAR_COLOURS picked by `key` (a speaker's slug): the same in every language."""
    digest = hashlib.sha256(str(key or "").encode()).digest()
    return AVATAR_COLOURS[digest[0] % len(AVATAR_COLOURS)]
