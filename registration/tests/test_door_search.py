"""The door's search across scripts: a stored search key of each registration's names, filled on save and by
the migration, and the typed query folded the same way (conference/search_keys.py)."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registration.checkin import search_registrations
from registration.models import Registration
from registration.services import anonymise

from .checkin_factories import make_registration


def found(conference, query):
    return [result["badge_name"] for result in search_registrations(conference=conference, query=query)]


@pytest.mark.parametrize("query", ["olga", "OLGA petr", "ольга", "Ольга Петренко", "petrenko olga", "petr"])
def test_search_finds_a_cyrillic_name_from_latin_or_cyrillic_in_any_case(conference, query):
    make_registration(conference, full_name="Ольга Петренко", badge_name="Ольга")
    make_registration(conference, full_name="Oleg Sidorov", badge_name="Oleg")
    assert found(conference, query) == ["Ольга"]


def test_search_finds_a_latin_name_from_cyrillic_and_ignores_diacritics(conference):
    make_registration(conference, full_name="Šarūnas Žemaitis", badge_name="Šarūnas")
    make_registration(conference, full_name="Yulia Kovalenko", badge_name="Yulia")
    assert found(conference, "sarunas zem") == ["Šarūnas"]
    assert found(conference, "ŠARŪ") == ["Šarūnas"]
    assert found(conference, "Коваленко") == ["Yulia"]
    assert found(conference, "Юлия") == ["Yulia"]  # Unidecode writes "Iuliia"; both fold to "iulia"


def test_search_of_only_punctuation_finds_nobody(conference):
    make_registration(conference, full_name="Ольга Петренко", badge_name="Ольга")
    assert found(conference, "'-.") == []


def test_search_key_follows_a_change_of_name_saved_with_update_fields(conference):
    registration = make_registration(conference, full_name="Ona Petraitė", badge_name="Ona")
    registration.full_name = "Ольга Петренко"
    registration.save(update_fields=["full_name"])
    assert Registration.objects.get(pk=registration.pk).search_name == "olga petrenko ona"
    assert found(conference, "olga") == ["Ona"]


def test_anonymising_blanks_the_search_key(conference):
    registration = make_registration(conference, full_name="Ольга Петренко", badge_name="Ольга")
    anonymise(registrations=Registration.objects.filter(pk=registration.pk))
    assert Registration.objects.get(pk=registration.pk).search_name == ""
    assert found(conference, "olga") == []


def test_the_migration_fills_the_key_of_existing_registrations(conference):
    registration = make_registration(conference, full_name="Ольга Петренко", badge_name="Ольга")
    Registration.objects.filter(pk=registration.pk).update(search_name="")  # a row from before the column
    assert found(conference, "olga") == []
    migration = importlib.import_module("registration.migrations.0007_registration_search_name")
    migration.fill_search_names(apps, None)
    assert found(conference, "olga") == ["Ольга"]


def test_search_query_count_does_not_grow_with_matches(conference):
    make_registration(conference, full_name="Ольга Петренко", badge_name="Ольга 0")
    with CaptureQueriesContext(connection) as one:
        assert len(found(conference, "olga")) == 1
    for number in range(1, 15):
        make_registration(conference, full_name=f"Ольга Петренко-{number}", badge_name=f"Ольга {number}")
    with CaptureQueriesContext(connection) as many:
        assert len(found(conference, "olga")) == 15
    assert len(many) == len(one)


@pytest.mark.postgres
def test_postgresql_serves_the_search_from_the_trigram_index(conference):
    make_registration(conference, full_name="Ольга Петренко", badge_name="Ольга")
    queryset = Registration.objects.filter(search_name__contains="olga").order_by()
    with connection.cursor() as cursor:
        # A handful of rows make a sequential scan cheaper (and the conference's own index is chosen while the
        # conference filter is there): forbidding the scan shows whether the trigram index can serve LIKE.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "registration_search_name_trgm" in plan
