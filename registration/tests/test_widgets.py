"""The registration form's country lists are written in Python for speed: the same markup as Django's own Select,
whatever the value, the attributes and the language."""

import re

import pytest
from django import forms
from django.utils import translation

from registration.forms import country_choices
from registration.widgets import Select


def without_whitespace_between_tags(html):
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("value", [None, "", "LT", "UA", "XX", '"><script>'])
@pytest.mark.parametrize(
    "attrs",
    [{"id": "id_country", "aria-describedby": "id_country_helptext"}, {"id": "x", "required": True, "disabled": False}],
)
def test_same_markup_as_djangos_select(language, value, attrs):
    with translation.override(language):
        django_select = forms.Select(choices=country_choices()).render("country", value, attrs)
        ours = Select(choices=country_choices()).render("country", value, attrs)
    assert without_whitespace_between_tags(ours) == without_whitespace_between_tags(django_select)
    assert ours.count("<option") > 240 and ours.count(" selected") == (0 if value in ("XX", '"><script>') else 1)


def test_names_follow_the_active_language():
    with translation.override("ru"):
        russian = dict(country_choices())
    with translation.override("en"):
        english = dict(country_choices())
    assert (english["LT"], russian["LT"]) == ("Lithuania", "Литва")


def option_names(html):
    return re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', html)


def test_russian_country_lists_use_cldr_names_in_russian_order(client, conference):
    # Both lists of the register page: the country and the visa letter's «Гражданство».
    html = client.get("/ru/vilnius-2017/register/").content.decode()
    lists = [
        option_names(select) for select in re.findall(r'<select name="(?:country|nationality)".*?</select>', html, re.S)
    ]
    assert len(lists) == 2
    for names in lists:
        assert names[:2] == ["Австралия", "Австрия"] and names[-1] == "Япония"
        assert names.index("Уганда") + 2 == names.index("Украина")  # Уганда, Узбекистан, Украина
        assert names.index("Великобритания") < names.index("Германия")
        assert {"Либерия", "Мьянма (Бирма)", "Сан-Марино", "Аландские острова"} <= set(names)
        assert not {"Либерии", "Мьянмы", "Сан - Марино"} & set(names)


def test_english_country_list_sorts_in_english():
    with translation.override("en"):
        names = [name for _code, name in country_choices()[1:]]
    assert names[:3] == ["Afghanistan", "Åland Islands", "Albania"]
    assert names.index("Ukraine") < names.index("United Kingdom") < names.index("Uruguay")
