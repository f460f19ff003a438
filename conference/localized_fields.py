"""Per-language text on plain models (rooms, tracks, registration types, venues, organisations): a `<field>_ru`
column beside the default-language one, used when the reader's language is Russian and the organiser has filled
it in."""

from django.conf import settings
from django.utils.translation import get_language


def localized(instance, field, language=None):
    """`instance.<field>` in `language` (default: the active one), falling back to the default language."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language != settings.LANGUAGE_CODE:
        translated = getattr(instance, f"{field}_{language}", "")
        if translated:
            return translated
    return getattr(instance, field)


def localized_property(field):
    """A read-only attribute giving `field` in the active language: `localized_name = localized_property("name")`."""
    return property(lambda instance: localized(instance, field), doc=f"`{field}` in the active language.")
