"""Wagtail's routing kept in the shared cache (programme.page_routes): a page rendered for each visitor, the
registration form first, is found with one query instead of the walk from the site's root; a kept route never
outlives a change that moves, hides or restricts its page, and never lets anybody past a view restriction."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from registration.models import Registration
from registration.tests.registration_factories import make_type, make_user

pytestmark = pytest.mark.django_db

REGISTER = "/vilnius-2017/register/"


def statements(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response, [query["sql"] for query in context.captured_queries]


def test_the_second_registration_form_is_routed_with_one_page_query(client, conference):
    first, routed = statements(client, REGISTER)
    second, kept = statements(client, REGISTER)
    assert first.status_code == second.status_code == 200
    # Wagtail's own routing: the site, the pages on the path, their aliases, the view restrictions.
    assert any("wagtailcore_site" in sql for sql in routed)
    assert any("wagtailcore_pageviewrestriction" in sql for sql in routed)
    assert not any("wagtailcore_site" in sql or "wagtailcore_pageviewrestriction" in sql for sql in kept)
    assert sum('"wagtailcore_page"' in sql for sql in kept) == 1
    assert len(kept) <= len(routed) - 5
    assert second.content.decode().count('name="full_name"') == 1


def test_each_language_keeps_its_own_route(client, conference):
    for _ in range(2):
        english = client.get(REGISTER).content.decode()
        russian = client.get("/ru" + REGISTER).content.decode()
        assert '<html lang="en"' in english and '<html lang="ru"' in russian
        assert "Зарегистрироваться" in russian


def test_a_registration_posted_through_a_kept_route_lands(client, conference):
    user = make_user()
    client.force_login(user)
    chosen = make_type(conference, slug="kept-route", capacity=5)  # before: a new type retires the kept routes
    client.get(REGISTER)  # keeps the route
    with CaptureQueriesContext(connection) as context:
        response = client.post(
            REGISTER,
            {
                "full_name": "Kept Route",
                "badge_name": "Kept",
                "organisation": "Example Org",
                "country": "LT",
                "registration_type": chosen.slug,
                "consent_privacy": "on",
            },
        )
    kept = [query["sql"] for query in context.captured_queries]
    assert response.status_code == 302
    assert Registration.objects.filter(user=user, conference=conference, full_name="Kept Route").count() == 1
    assert not any("wagtailcore_site" in sql for sql in kept)


def test_a_changed_slug_retires_the_kept_route(client, conference):
    assert client.get(REGISTER).status_code == 200
    conference.slug = "vilnius-conference"
    conference.save_revision().publish()
    assert client.get(REGISTER).status_code == 404
    assert client.get("/vilnius-conference/register/").status_code == 200


def test_an_unpublished_conference_is_not_served_from_a_kept_route(client, conference):
    assert client.get(REGISTER).status_code == 200
    conference.unpublish()
    assert client.get(REGISTER).status_code == 404


def test_a_restriction_added_after_the_route_was_kept_applies_at_once(client, conference):
    assert client.get(REGISTER).status_code == 200
    PageViewRestriction.objects.create(page=conference, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(REGISTER)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_signed_in_visitor_past_a_restriction_does_not_open_it_for_anybody_else(client, conference):
    PageViewRestriction.objects.create(page=conference, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(make_user())
    assert client.get(REGISTER).status_code == 200
    assert client.get(REGISTER).status_code == 200
    stranger = Client()
    response = stranger.get(REGISTER)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
