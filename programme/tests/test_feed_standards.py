"""Feeds to the standards: the changes feed is Atom with an author (feedparser reads it without complaint), its
links come from SITE_URL whoever asked first, and the personal agenda feed answers 304 to a calendar app that
already has the current file."""

import feedparser
import pytest
from django.conf import settings
from django.test import Client, override_settings

from programme import agenda
from programme.models import SessionPage
from programme.releases import release_schedule

pytestmark = pytest.mark.django_db
FEED = "/vilnius-2017/programme/changes/feed/"


def test_changes_feed_is_atom_with_an_author(client, conference):
    release_schedule(conference=conference, note="First programme")
    response = client.get(FEED)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.author_detail.name == conference.title
    assert feed.feed.author_detail.href == settings.SITE_URL + conference.url
    assert len(feed.entries) == 1
    assert feed.entries[0].link == settings.SITE_URL + "/vilnius-2017/programme/changes/#release-1"


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_a_foreign_host_right_after_a_release_does_not_change_the_feed_for_later_readers(conference):
    release_schedule(conference=conference, note="First programme")
    first = Client().get(FEED, HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    later = Client().get(FEED)
    for response in (first, later):
        body = response.content.decode()
        assert "localhost" not in body
        feed = feedparser.parse(response.content)
        links = [feed.feed.link, *(link.href for link in feed.feed.links), *(entry.link for entry in feed.entries)]
        assert links and all(link.startswith(settings.SITE_URL + "/") for link in links), links
        assert feed.feed.id.startswith(settings.SITE_URL + "/")


@pytest.fixture
def feed_token(conference, django_user_model):
    user = django_user_model.objects.create_user(username="ana", email="ana@example.org")
    session = SessionPage.objects.live().descendant_of(conference).first()
    agenda.set_starred(user=user, session_id=session.pk, starred=True)
    return user, agenda.issue_feed(user=user).token


def test_agenda_feed_answers_304_to_a_repeated_conditional_get(conference, feed_token):
    user, token = feed_token
    url = f"/agenda/{token}.ics"
    calendar_app = Client()
    first = calendar_app.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-cache"
    etag = first["ETag"]
    again = calendar_app.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "private, no-cache"

    # A new star is a new file: the app that asks with the old tag gets it in full.
    other = SessionPage.objects.live().descendant_of(conference).exclude(pk=user.agenda_items.first().session_id)
    agenda.set_starred(user=user, session_id=other.first().pk, starred=True)
    changed = calendar_app.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.content.count(b"BEGIN:VEVENT") == 2


def test_agenda_feed_links_come_from_site_url(conference, feed_token):
    _user, token = feed_token
    body = Client().get(f"/agenda/{token}.ics", HTTP_HOST="localhost").content.decode()
    assert "localhost" not in body
    assert f"URL:{settings.SITE_URL}/" in body.replace("\r\n ", "")
