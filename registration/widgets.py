"""Form widgets built for speed where Django's template-per-option rendering is too slow."""

from functools import cache, lru_cache

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_countries import countries


@cache
def _countries_in(language):
    # django_countries translates and sorts its 250 names on every iteration; the names of a language do not change
    # while the site runs.
    return tuple((code, str(name)) for code, name in countries)


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
