"""The shared page cache: every public page is stored once and reused for anonymous and signed-in visitors, each
getting their own header, CSRF token and stars and nobody else's; pending messages and organisers are rendered
fresh; publishing anything retires stored pages."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from programme.models import AgendaItem, SpeakerPage

from .helpers import demo_session

pytestmark = pytest.mark.django_db

PROGRAMME = "/vilnius-2017/programme/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def make_user(django_user_model, name):
    user = django_user_model.objects.create_user(username=name, email=f"{name}@example.org", password="x" * 12)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def ana(django_user_model):
    return make_user(django_user_model, "ana")


@pytest.fixture
def boris(django_user_model):
    return make_user(django_user_model, "boris")


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def starred_ids(html):
    """The session ids whose star is on in a page."""
    return {
        int(match)
        for match in re.findall(
            r'data-agenda-star="(\d+)"[^>]*>\s*<input[^>]*csrfmiddlewaretoken[^>]*><input[^>]*>\s*'
            r'<input type="hidden" name="starred" value="0">',
            html,
        )
    }


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries), response


def test_signed_in_page_from_cache_shows_each_visitor_only_their_own_stars(conference, ana, boris):
    session = demo_session(conference, "naloxone-in-every-pocket")
    other = demo_session(conference, "sustainability-plenary")
    AgendaItem.objects.create(user=ana, session=session, conference=conference)
    AgendaItem.objects.create(user=boris, session=other, conference=conference)
    first = client_for(ana).get(PROGRAMME).content.decode()
    second = client_for(boris).get(PROGRAMME).content.decode()
    anonymous = Client().get(PROGRAMME).content.decode()
    assert starred_ids(first) == {session.pk}
    assert starred_ids(second) == {other.pk}
    assert "star-button--on" not in anonymous
    assert "\x00" not in first + second + anonymous


def test_signed_in_programme_is_served_from_the_cache_with_three_queries(conference, ana, boris):
    client_for(ana).get(PROGRAMME)
    count, response = queries(client_for(boris), PROGRAMME)
    # The session, the user, the starred sessions: nothing is rendered again.
    assert count == 3
    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response["Vary"]
    assert "ETag" not in response


def test_a_page_that_shows_the_visitors_name_is_not_kept(conference, ana, boris):
    # "Programme" is in every programme page's title: as if the template printed the visitor's name.
    ana.first_name = "Programme"
    ana.save()
    client_for(ana).get(PROGRAMME)
    assert queries(client_for(boris), PROGRAMME)[0] > 3  # rendered, not from the cache
    assert queries(client_for(boris), PROGRAMME)[0] == 3  # boris's own render was kept


def test_csrf_token_in_a_cached_page_is_the_visitors_own(conference, ana, boris):
    session = demo_session(conference, "naloxone-in-every-pocket")
    client_for(ana, enforce_csrf_checks=True).get(PROGRAMME)
    boris_client = client_for(boris, enforce_csrf_checks=True)
    page = boris_client.get(PROGRAMME).content.decode()
    tokens = set(TOKEN.findall(page))
    assert len(tokens) == 1
    response = boris_client.post(
        reverse("agenda_star", args=[session.pk]), {"starred": "1", "csrfmiddlewaretoken": tokens.pop()}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.filter(user=boris, session=session).exists()


def test_header_follows_the_visitor_not_the_first_request(conference, ana):
    # The header's own link (the programme's "My sessions" button points at /my/#my-agenda for everyone).
    my_url = f'href="{reverse("my_registrations")}"'
    for path in ("/", "/vilnius-2017/", "/vilnius-2017/speakers/", PROGRAMME):
        anonymous = Client().get(path).content.decode()
        signed_in = client_for(ana).get(path).content.decode()
        again = Client().get(path).content.decode()
        assert my_url not in anonymous, path
        assert my_url in signed_in, path
        assert again == anonymous, path


def test_pending_message_shows_on_a_cached_page(conference, ana):
    session = demo_session(conference, "naloxone-in-every-pocket")
    client = client_for(ana)
    client.get(PROGRAMME)
    response = client.post(reverse("agenda_star", args=[session.pk]), {"starred": "1", "next": PROGRAMME}, follow=True)
    assert "Added to your agenda." in response.content.decode()
    assert session.pk in starred_ids(response.content.decode())
    # Shown once: the next visit is the stored page again, without it.
    assert "Added to your agenda." not in client.get(PROGRAMME).content.decode()


def test_organisers_get_a_fresh_page_with_the_user_bar(conference, ana, django_user_model):
    organiser = django_user_model.objects.create_superuser(username="org", email="org@example.org", password="x" * 12)
    client_for(ana).get("/vilnius-2017/")
    assert "wagtail-userbar" in client_for(organiser).get("/vilnius-2017/").content.decode()
    assert "wagtail-userbar" not in client_for(ana).get("/vilnius-2017/").content.decode()


@pytest.mark.parametrize("path", ["/", "/vilnius-2017/speakers/", "/vilnius-2017/speakers/{speaker}/"])
def test_publishing_a_speaker_refreshes_stored_pages(conference, ana, path):
    speaker = SpeakerPage.objects.live().filter(locale=conference.locale).order_by("pk").first()
    url = path.format(speaker=speaker.slug)
    for client in (Client(), client_for(ana)):
        client.get(url)
    speaker.title = "Renamed Speaker Zyx"
    speaker.save_revision().publish()
    conference.title = "Renamed Conference Zyx"
    conference.save_revision().publish()
    for client in (Client(), client_for(ana)):
        content = client.get(url).content.decode()
        assert "Renamed Conference Zyx" in content, url
        if "speakers" in url:
            assert "Renamed Speaker Zyx" in content, url


def test_exports_are_one_answer_for_browsers_and_calendar_apps(conference, ana):
    url = PROGRAMME + "schedule.ics"
    client_for(ana).get(url)
    count, response = queries(Client(), url)
    assert count == 0
    assert response["Cache-Control"] == "public, max-age=60"
    count, signed_in = queries(client_for(ana), url)
    assert count == 0  # not even the session: the answer is everybody's
    assert signed_in.content == response.content


def test_home_page_comes_from_the_cache(conference, ana):
    for client in (Client(), client_for(ana)):
        client.get("/")
        count, _response = queries(client, "/")
        assert count <= 2  # the session and the user when signed in; nothing for anonymous visitors
    assert queries(Client(), "/")[0] == 0


def test_now_and_next_is_kept_until_the_next_minute(conference):
    url = PROGRAMME + "now/"
    Client().get(url)
    count, _response = queries(Client(), url)
    assert count == 0


def test_a_page_for_one_group_is_never_passed_on_to_other_signed_in_visitors(conference, ana, boris):
    group = Group.objects.create(name="Board")
    ana.groups.add(group)
    speaker = SpeakerPage.objects.live().filter(locale=conference.locale).order_by("pk").first()
    url = speaker.url
    assert speaker.organisation
    restriction = PageViewRestriction.objects.create(page=speaker, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    assert speaker.organisation in client_for(ana).get(url).content.decode()
    assert speaker.organisation not in client_for(boris).get(url).content.decode()
    assert speaker.organisation not in Client().get(url).content.decode()
