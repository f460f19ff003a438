"""The site footer (organisations with their logos, footer links) is kept as a fragment across pages that are
rendered for each visitor (the registration form, /my/), per conference and language, and so are the header's menus
and language links (programme.page_chrome); both are retired with the stored pages: an organisation, a menu or a
conference change shows on the next request."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import ConferenceOrganisation, Organisation

pytestmark = pytest.mark.django_db

REGISTER = "/vilnius-2017/register/"


def footer(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<footer class="site-footer">') :]


def test_a_kept_footer_costs_no_query_and_no_image_lookup(client, conference):
    footer(client, REGISTER)  # keeps the footer
    with CaptureQueriesContext(connection) as context:
        html = footer(client, REGISTER)
    statements = " ".join(query["sql"] for query in context.captured_queries)
    assert "conference_conferenceorganisation" not in statements
    assert "wagtailimages" not in statements
    # Still the whole footer, logos included.
    assert html.count('class="organisation-logo"') == conference.organisation_links.count()


def test_an_organisation_renamed_shows_in_the_footer_in_each_language(client, conference):
    organisation = conference.organisation_links.select_related("organisation").first().organisation
    footer(client, REGISTER), footer(client, "/ru" + REGISTER)
    organisation.name = "Renamed Network"
    organisation.name_ru = "Переименованная сеть"
    organisation.save()
    english, russian = footer(client, REGISTER), footer(client, "/ru" + REGISTER)
    assert 'alt="Renamed Network"' in english and "Переименованная сеть" not in english
    assert 'alt="Переименованная сеть"' in russian and "Renamed Network" not in russian


def test_an_organisation_added_to_the_conference_shows_in_the_footer(client, conference):
    footer(client, REGISTER)
    conference.organisation_links.add(
        ConferenceOrganisation(organisation=Organisation.objects.create(name="Brand New Partners", short_name="BNP"))
    )
    conference.save_revision().publish()
    assert re.search(r'<span class="logo-list__name">BNP</span>', footer(client, REGISTER))


def test_each_language_keeps_its_own_footer(client, conference):
    assert "Organised by" in footer(client, REGISTER)
    russian = footer(client, "/ru" + REGISTER)
    assert "Organised by" not in russian and "Организаторы" in russian
    assert "Organised by" in footer(client, REGISTER)


@pytest.mark.parametrize("path", [REGISTER, "/my/"])
def test_the_user_bar_is_for_organisers_and_costs_attendees_no_permission_query(client, conference, path):
    def make_user(email, **fields):
        user = get_user_model().objects.create_user(username=email, email=email, password="x" * 12, **fields)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    client.force_login(make_user("organiser@example.org", is_superuser=True))
    assert "wagtail-userbar" in client.get(path).content.decode()
    client.force_login(make_user("attendee@example.org"))
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        html = client.get(path).content.decode()
    assert "wagtail-userbar" not in html
    assert not [query for query in context.captured_queries if "auth_permission" in query["sql"]]


def header(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_a_kept_header_looks_up_no_menu_translation_or_locale(client, conference):
    first = header(client, "/ru" + REGISTER)  # keeps the header's data
    with CaptureQueriesContext(connection) as context:
        again = header(client, "/ru" + REGISTER)
    assert again == first
    statements = [query["sql"] for query in context.captured_queries]
    assert not [sql for sql in statements if '"show_in_menus"' in sql.split("WHERE", 1)[-1]]  # the menu
    assert not [sql for sql in statements if 'JOIN "wagtailcore_locale"' in sql]  # the page's translations
    # The same page in each language, the sub-route kept; "Register" in the menu.
    assert 'href="/vilnius-2017/register/" lang="en"' in again and 'aria-current="true" lang="ru"' in again
    assert 'class="site-nav__cta"' in again


def test_a_menu_page_published_shows_in_the_header_on_the_next_request_in_each_language(client, conference):
    header(client, REGISTER), header(client, "/ru" + REGISTER)
    assert ">Travel and visas</a>" in footer(client, REGISTER)
    programme = conference.get_children().get(slug="programme").specific
    programme.title = "Full programme"
    programme.save_revision().publish()
    assert ">Full programme</a>" in header(client, REGISTER)
    assert ">Full programme</a>" not in header(client, "/ru" + REGISTER)  # the Russian menu: the Russian pages
    travel = conference.get_children().get(slug="travel-and-visas").specific  # an information page: the footer
    travel.show_in_menus = False
    travel.save_revision().publish()
    assert ">Travel and visas</a>" not in footer(client, REGISTER)


def test_the_menu_marks_the_page_being_shown(client, conference):
    programme = conference.get_children().get(slug="programme")
    client.get(REGISTER)  # keeps the conference's menus from a page that is not in them
    html = header(client, programme.url)
    current = re.findall(r'<a href="([^"]+)"[^>]*aria-current="page"', html)
    assert current == [programme.url]
