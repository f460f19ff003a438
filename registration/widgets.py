"""Form widgets built for speed where Django's template-per-option rendering is too slow."""

from functools import cache, lru_cache

import babel
import pyuca
from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_countries import countries as django_countries

# CLDR writes some names short for narrow displays ("Аландские о-ва"); a form list has the room to spell them out.
SPELLED_OUT = {"ru": (("о-ва", "острова"), ("о-в", "остров"))}


@cache
def _collator():
    # The Unicode Collation Algorithm's default table orders Latin and Cyrillic alphabetically (Ё with Е,
    # Å with A), which is the order Russian and English readers expect; loading it takes a moment, so once.
    return pyuca.Collator()


def _cldr_name(territories, code, language):
    name = territories.get(code) or str(dict(django_countries)[code])
    for short, spelled in SPELLED_OUT.get(language, ()):
        name = name.replace(short, spelled)
    return name


@cache
def _countries_in(language):
    """The ISO 3166 countries django-countries validates, named by CLDR (Babel) in `language` and sorted the way
    that language sorts. Cached: the names of a language do not change while the site runs."""
    try:
        territories = babel.Locale.parse(language or settings.LANGUAGE_CODE).territories
    except (ValueError, babel.UnknownLocaleError):
        territories = babel.Locale.parse(settings.LANGUAGE_CODE).territories
    named = [(code, _cldr_name(territories, code, language)) for code, _name in django_countries]
    return tuple(sorted(named, key=lambda item: _collator().sort_key(item[1])))


def country_names():
    """(ISO 3166 alpha-2 code, name) pairs in the active language, sorted in that language."""
    return _countries_in(get_language())


@cache
def _names_in(language):
    return dict(_countries_in(language))


def country_name(code):
    """The name of the country with ISO 3166 alpha-2 `code` in the active language; an unknown code as it is."""
    return _names_in(get_language()).get(code, code) if code else ""


class Select(forms.Select):
    """Django's Select with its options written in Python: Django renders each <option> through a template, which
    for the two country lists (250 options each) was most of the registration form's rendering time. Same markup
    for flat choices (one option selected, the first whose value matches) and the same class name, so that the
    field keeps its `field--select` class."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = tuple((str(option_value), str(label)) for option_value, label in self.choices)
        options = list(_options(choices))
        wanted = self.format_value(value)
        for index, (option_value, label) in enumerate(choices):
            if option_value in wanted:
                options[index] = format_html('<option value="{}" selected>{}</option>', option_value, label)
                break
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            _attributes(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 - each option escaped by format_html
        )


@lru_cache(maxsize=32)
def _options(choices):
    """The escaped <option> of each choice, unselected: made once per list of choices (and so per language)."""
    return tuple(format_html('<option value="{}">{}</option>', option_value, label) for option_value, label in choices)


def _attributes(attrs):
    """As Django's widgets/attrs.html writes them: in order, True as a bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )
